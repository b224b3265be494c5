import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { buildCatalog } from './catalog.js';
import { contributionsCsv } from './contributions.js';
import { generateCorpus } from './graph.js';
import { openalexLines } from './openalex.js';

/**
 * Writes a generated dataset: the OpenAlex works (gzipped when the name ends in .gz) and,
 * beside it, the contributions CSV. Same works and seed, same bytes.
 */

export interface GenerateOptions {
  works: number;
  seed: number;
  /** The works file; the contributions file is named after it (see contributionsPath). */
  out: string;
}

export interface GeneratedDataset {
  works: number;
  citations: number;
  authors: number;
  projects: number;
  seconds: number;
  files: { path: string; bytes: number }[];
}

export const defaultOutput = (works: number, seed: number) => `generated/openalex-${works}-seed${seed}.jsonl.gz`;

/** "data/works.jsonl.gz" -> "data/works.contributions.csv". */
export function contributionsPath(out: string): string {
  return `${out.replace(/\.gz$/, '').replace(/\.[^./\\]+$/, '')}.contributions.csv`;
}

const CHUNK_BYTES = 1 << 20;
/**
 * zlib's fastest level compresses the lines faster than they are generated, so it adds little
 * to a run; level 6 takes three times as long for a file a quarter smaller.
 */
const GZIP_LEVEL = 1;

export async function generateDataset(options: GenerateOptions): Promise<GeneratedDataset> {
  const started = performance.now();
  const corpus = generateCorpus(options.works, options.seed);
  const catalog = buildCatalog(options.works, options.seed);
  const contributions = contributionsCsv(corpus, catalog);
  const csvPath = contributionsPath(options.out);
  await mkdir(dirname(options.out), { recursive: true });
  await writeWhole(options.out, Readable.from(chunks(openalexLines(corpus, catalog))), options.out.endsWith('.gz'));
  await writeWhole(csvPath, Readable.from([contributions.text]), false);
  const files = [];
  for (const path of [options.out, csvPath]) files.push({ path, bytes: (await stat(path)).size });
  return {
    works: corpus.workCount,
    citations: corpus.references.length,
    authors: corpus.authors.count,
    projects: contributions.projects,
    seconds: (performance.now() - started) / 1000,
    files,
  };
}

/** The lines encoded into buffers of about CHUNK_BYTES, which costs less than joining strings first. */
function* chunks(lines: Iterable<string>): Generator<Buffer> {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const line of lines) {
    // No UTF-16 code unit takes more than three bytes in UTF-8.
    if (used + line.length * 3 > buffer.length) {
      yield buffer.subarray(0, used);
      buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
      used = 0;
    }
    used += buffer.write(line, used);
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** Written under a temporary name and renamed when complete: an interrupted run leaves no file that looks whole. */
async function writeWhole(path: string, content: Readable, gzip: boolean): Promise<void> {
  const partial = `${path}.partial`;
  try {
    if (gzip) await pipeline(content, createGzip({ level: GZIP_LEVEL }), createWriteStream(partial));
    else await pipeline(content, createWriteStream(partial));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
