import { AsyncLocalStorage } from 'node:async_hooks';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ProblemCode } from './records.js';

/**
 * Input files read as streams of lines, in constant memory: gzip is recognized by its magic
 * bytes whatever the file is called, a UTF-8 byte order mark is dropped, CRLF ends lines like
 * LF, and a line that is not valid UTF-8 is handed on as a problem rather than decoded into
 * replacement characters.
 */

/** The input cannot be read on (missing, unreadable, a gzip that does not inflate or inflates too far). */
export class InputError extends Error {
  override name = 'InputError';

  constructor(
    message: string,
    readonly code: ProblemCode = 'INPUT_UNREADABLE',
  ) {
    super(message);
  }
}

export type InputLine = { line: number; text: string } | { line: number; problem: string; code: ProblemCode };

export interface InputLimits {
  /** Longer records (a line, or a CSV record over several lines) are refused, never held whole. */
  maxRecordBytes: number;
  /**
   * A gzip stops once it has inflated past both this many bytes and `inflationRatio` times the
   * compressed bytes read: JSON inflates 5 to 10 times, a decompression bomb about 1000 times.
   */
  inflatedFloorBytes: number;
  inflationRatio: number;
}

const MiB = 1024 * 1024;

/** Real OpenAlex records with thousands of authors reach a few MB. */
export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxRecordBytes: 4 * MiB,
  inflatedFloorBytes: 256 * MiB,
  inflationRatio: 100,
};

// The readers sit below the per-format import jobs, which take no reader options; a command
// sets the limits for everything it reads.
const limitsInScope = new AsyncLocalStorage<InputLimits>();

/** Runs `work` with these limits for every input it reads. */
export function withInputLimits<T>(limits: Partial<InputLimits>, work: () => T): T {
  return limitsInScope.run({ ...currentInputLimits(), ...limits }, work);
}

export function currentInputLimits(): InputLimits {
  return limitsInScope.getStore() ?? DEFAULT_INPUT_LIMITS;
}

/** "4 MiB", or the exact count when it is no whole number of MiB. */
function describeBytes(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** The problem of a record over the size cap, at the line where it starts. */
export function tooLarge(line: number, limits: InputLimits): InputLine {
  return {
    line,
    problem: `record longer than ${describeBytes(limits.maxRecordBytes)}, the record size cap (--max-record-bytes)`,
    code: 'RECORD_TOO_LARGE',
  };
}

export interface LineReader {
  lines: AsyncGenerator<InputLine>;
  /** Bytes of the file (compressed, for gzip) read so far, for progress. */
  bytesRead(): number;
  size: number;
}

export interface ReadOptions {
  limits?: InputLimits;
  /** Hand on empty and blank lines too (a CSV field may hold them); they are skipped otherwise. */
  blankLines?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export async function readLines(file: string, options: ReadOptions = {}): Promise<LineReader> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!info.isFile()) throw new InputError(`${file}: not a file`);
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzip ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  raw.on('error', (error) => stream.destroy(error));
  const source = { file, gzip, compressedBytes: () => raw.bytesRead };
  return {
    lines: splitLines(stream, source, options.limits ?? currentInputLimits(), options.blankLines === true),
    bytesRead: () => raw.bytesRead,
    size: info.size,
  };
}

async function* splitLines(
  stream: AsyncIterable<Buffer>,
  source: { file: string; gzip: boolean; compressedBytes: () => number },
  limits: InputLimits,
  blankLines: boolean,
): AsyncGenerator<InputLine> {
  const { file, gzip } = source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let line = 0;
  let inflated = 0;

  function* finish(part: Buffer): Generator<InputLine> {
    line += 1;
    if (overlong || pendingBytes + part.length > limits.maxRecordBytes) {
      overlong = false;
      pending = [];
      pendingBytes = 0;
      yield tooLarge(line, limits);
      return;
    }
    let bytes = pending.length ? Buffer.concat([...pending, part]) : part;
    pending = [];
    pendingBytes = 0;
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      yield { line, problem: 'not valid UTF-8 text', code: 'NOT_UTF8' };
      return;
    }
    if (blankLines || text.trim() !== '') yield { line, text };
  }

  try {
    for await (const chunk of stream) {
      if (gzip) {
        inflated += chunk.length;
        const cap = Math.max(limits.inflatedFloorBytes, limits.inflationRatio * source.compressedBytes());
        if (inflated > cap) {
          throw new InputError(
            `${file}: the gzip data inflates past ${describeBytes(cap)}, more than ${limits.inflationRatio} times its compressed size (a decompression bomb?); stopped after line ${line}`,
            'DECOMPRESSED_SIZE_EXCEEDED',
          );
        }
      }
      let start = 0;
      while (start < chunk.length) {
        if (chunk[start] === 0x0a && pendingBytes === 0 && !overlong && !blankLines) {
          // Runs of empty lines (a bomb of newlines, say) are counted byte by byte, building no lines.
          let end = start;
          while (chunk[end] === 0x0a) end += 1;
          line += end - start;
          start = end;
          continue;
        }
        const end = chunk.indexOf(0x0a, start);
        if (end === -1) break;
        yield* finish(chunk.subarray(start, end));
        start = end + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (overlong || pendingBytes + rest.length > limits.maxRecordBytes) {
          overlong = true;
          pending = [];
          pendingBytes = 0;
        } else {
          pending.push(Buffer.from(rest));
          pendingBytes += rest.length;
        }
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error as Error).message;
    throw new InputError(
      gzip
        ? `${file}: the gzip data does not inflate after line ${line} (${reason})`
        : `${file}: read failed after line ${line} (${reason})`,
    );
  }
  if (pendingBytes > 0 || overlong) yield* finish(Buffer.alloc(0));
}

/**
 * The files an input names: the file itself, or for a folder (an OpenAlex snapshot's
 * `works/updated_date=…/part_*.gz`) every .gz, .jsonl and .json file below it, in path order.
 */
export async function inputFiles(path: string): Promise<string[]> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => {
    throw new InputError(`${path}: no such file or folder`);
  });
  if (!info.isDirectory()) return [absolute];
  const found: string[] = [];
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.(gz|jsonl|json)$/.test(entry.name)) found.push(full);
    }
  }
  await walk(absolute);
  if (found.length === 0) throw new InputError(`${path}: the folder holds no .gz, .jsonl or .json files`);
  return found.sort();
}
