import { readFile, writeFile } from 'node:fs/promises';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

/** Writes schema/schema.graphql (sorted SDL); with --check, fails when the committed file differs. */
const path = new URL('../schema/schema.graphql', import.meta.url);
const sdl = `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(path, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema/schema.graphql is out of date. Run: npm run schema:emit && npm run codegen');
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  await writeFile(path, sdl);
  console.log('Wrote schema/schema.graphql');
}
