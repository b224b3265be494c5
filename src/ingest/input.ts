import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';

/**
 * Input files read as streams of lines, in constant memory: gzip is recognized by its magic
 * bytes whatever the file is called, a UTF-8 byte order mark is dropped, CRLF ends lines like
 * LF, and a line that is not valid UTF-8 is handed on as a problem rather than decoded into
 * replacement characters.
 */

/** The input cannot be read at all (missing, unreadable, a gzip that does not inflate). */
export class InputError extends Error {
  override name = 'InputError';
}

export type InputLine = { line: number; text: string } | { line: number; problem: string };

/** Longer lines are reported and skipped instead of being held in memory whole. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineReader {
  lines: AsyncGenerator<InputLine>;
  /** Bytes of the file (compressed, for gzip) read so far, for progress. */
  bytesRead(): number;
  size: number;
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

export async function readLines(file: string): Promise<LineReader> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!info.isFile()) throw new InputError(`${file}: not a file`);
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => stream.destroy(error));
  return { lines: splitLines(stream, file, gzip), bytesRead: () => raw.bytesRead, size: info.size };
}

async function* splitLines(stream: AsyncIterable<Buffer>, file: string, gzip: boolean): AsyncGenerator<InputLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let line = 0;

  function* finish(part: Buffer): Generator<InputLine> {
    line += 1;
    if (overlong) {
      overlong = false;
      yield { line, problem: `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB` };
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
      yield { line, problem: 'not valid UTF-8 text' };
      return;
    }
    if (text.trim() !== '') yield { line, text };
  }

  try {
    for await (const chunk of stream) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        yield* finish(chunk.subarray(start, end));
        start = end + 1;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (overlong || pendingBytes + rest.length > MAX_LINE_BYTES) {
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
