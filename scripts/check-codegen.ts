import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';

/**
 * Fails when a typed client (test/gql, dashboard/src/gql) differs from what codegen makes of
 * the committed SDL and documents.
 */
const outputs = await generate({ ...config, silent: true }, false);
const expected = new Map<string, string>(
  outputs.map((output: { filename: string; content: string }) => [output.filename, output.content]),
);
const problems: string[] = [];
for (const [filename, content] of expected) {
  const committed = await readFile(filename, 'utf8').catch(() => null);
  if (committed !== content) problems.push(`${filename} differs`);
}
const directories = Object.keys(config.generates).map((target) => target.replace(/\/$/, ''));
for (const directory of directories) {
  const committedFiles = (await readdir(directory).catch(() => [])).map((name) => join(directory, name));
  for (const file of committedFiles) if (!expected.has(file)) problems.push(`${file} is not generated any more`);
}
if (problems.length > 0) {
  console.error(`A typed client is out of date (${problems.join('; ')}). Run: npm run codegen`);
  process.exit(1);
}
console.log(`${directories.join(' and ')} are up to date.`);
