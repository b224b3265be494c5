import { parseArgs } from 'node:util';
import { defaultOutput, generateDataset } from '../src/generate/files.js';

/**
 * Generates a synthetic, deterministic dataset for benchmarks and tests: OpenAlex works that
 * `citegraph import openalex` reads, and the contributions CSV `citegraph import contributions` reads.
 *
 *   npm run gen -- --works N [--seed S] [--out FILE]
 */

/**
 * Keeps memory near a gigabyte (about 200 MB per million works) and the people well inside
 * the generator's ORCID block (ten million iDs, used up at about nine million works).
 */
const MAX_WORKS = 5_000_000;

const USAGE = `Usage: npm run gen -- --works N [--seed S] [--out FILE]

Writes N generated OpenAlex works as JSON lines (gzipped when FILE ends in .gz) and, beside
them, software projects with monthly contributor activity in the contributions CSV format.
The same N and seed give the same bytes.

  --works N    number of works, 1 to ${MAX_WORKS.toLocaleString('en-US')} (about 15 references each)
  --seed S     integer 0 to 4294967295 (default 1)
  --out FILE   the works file (default generated/openalex-<N>-seed<S>.jsonl.gz); the
               contributions go to FILE without its extension + .contributions.csv
  --help       this text`;

class UsageError extends Error {}

function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max))
    throw new UsageError(`--${name} ${value} is not an integer from ${min} to ${max}`);
  return number;
}

const OPTIONS = {
  works: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function readArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replaceAll('\n', ' '));
  }
}

function parse(argv: string[]) {
  const values = readArgs(argv);
  if (values.help) return null;
  const works = integerOption(values.works, 'works', 1, MAX_WORKS);
  if (works === undefined) throw new UsageError('--works N is required');
  const seed = integerOption(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 1;
  return { works, seed, out: values.out ?? defaultOutput(works, seed) };
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`gen: ${error.message} (see --help)`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const result = await generateDataset(options);
  const count = (value: number) => value.toLocaleString('en-US');
  console.log(
    `generated ${count(result.works)} works · ${count(result.citations)} citations · ${count(result.authors)} authors · ${count(result.projects)} projects in ${result.seconds.toFixed(1)} s`,
  );
  for (const file of result.files) console.log(`  ${file.path} (${(file.bytes / 1024 / 1024).toFixed(1)} MiB)`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
