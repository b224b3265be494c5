import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecord, parseCsvLine, readCsvRecords } from '../../src/ingest/csv.js';
import { DEFAULT_INPUT_LIMITS, type InputLine } from '../../src/ingest/input.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'citegraph-csv-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The records of `text` written to a file, as readCsvRecords gives them. */
async function records(text: string | Buffer, maxRecordBytes = DEFAULT_INPUT_LIMITS.maxRecordBytes) {
  const file = join(dir, 'records.csv');
  await writeFile(file, text);
  const reader = await readCsvRecords(file, { ...DEFAULT_INPUT_LIMITS, maxRecordBytes });
  const found: InputLine[] = [];
  for await (const record of reader.lines) found.push(record);
  return found;
}

describe('readCsvRecords', () => {
  it('reads a quoted field holding line breaks as one record, at the line where it starts', async () => {
    const text = 'repo,author_name,note\nBVLC/caffe,"Jia,\nYangqing","two\n\nlines"\nonnx/onnx,Tao,x\n';
    expect(await records(text)).toEqual([
      { line: 1, text: 'repo,author_name,note' },
      { line: 2, text: 'BVLC/caffe,"Jia,\nYangqing","two\n\nlines"' },
      { line: 6, text: 'onnx/onnx,Tao,x' },
    ]);
    expect(parseCsvLine('BVLC/caffe,"Jia,\nYangqing","two\n\nlines"')).toEqual([
      'BVLC/caffe',
      'Jia,\nYangqing',
      'two\n\nlines',
    ]);
  });

  it('reads CRLF files with doubled quotes and line breaks inside quotes, keeping each break as \\n', async () => {
    const text = 'a,b\r\n"say ""hi""\r\nthere",2\r\n"x""\r\n""",3\r\n';
    const found = await records(text);
    expect(found).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, text: '"say ""hi""\nthere",2' },
      { line: 4, text: '"x""\n""",3' },
    ]);
    expect(found.map((record) => 'text' in record && parseCsvLine(record.text))).toEqual([
      ['a', 'b'],
      ['say "hi"\nthere', '2'],
      ['x"\n"', '3'],
    ]);
  });

  it('ends a record at the line end when a quote stands inside an unquoted field', async () => {
    expect(await records('a,b"c\nd,e\n')).toEqual([
      { line: 1, text: 'a,b"c' },
      { line: 2, text: 'd,e' },
    ]);
  });

  it('hands on a quoted field left open at the end of the file, at the line where its record starts', async () => {
    const found = await records('a,b\n1,"open\nstill open\n');
    expect(found).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, text: '1,"open\nstill open' },
    ]);
    const last = found[1];
    expect(last && 'text' in last && parseCsvLine(last.text)).toEqual({ error: 'unterminated quoted field' });
  });

  it('refuses a record over the size cap at its first line and reads on after the line that overflowed', async () => {
    const text = `a,b\n1,"${'x'.repeat(600)}\n${'y'.repeat(600)}\n${'z'.repeat(600)}"\n2,3\n`;
    expect(await records(text, 1024)).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, problem: expect.stringContaining('record longer than 1,024 bytes'), code: 'RECORD_TOO_LARGE' },
      { line: 4, text: `${'z'.repeat(600)}"` },
      { line: 5, text: '2,3' },
    ]);
  });

  it('ends a record at a line that is not UTF-8, reporting it at the line where the record starts', async () => {
    const text = Buffer.concat([Buffer.from('a,b\n1,"open\n'), Buffer.from([0xff, 0x0a]), Buffer.from('2,3\n')]);
    expect(await records(text)).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, problem: 'not valid UTF-8 text', code: 'NOT_UTF8' },
      { line: 4, text: '2,3' },
    ]);
  });
});

describe('parseCsvLine', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(parseCsvLine('BVLC/caffe,zoharby,,2015,9')).toEqual(['BVLC/caffe', 'zoharby', '', '2015', '9']);
    expect(parseCsvLine('')).toEqual(['']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(parseCsvLine('onnx/onnx,"HE, Tao",gmail.com')).toEqual(['onnx/onnx', 'HE, Tao', 'gmail.com']);
    expect(parseCsvLine('"freedom"" Koan-Sin Tan",""')).toEqual(['freedom" Koan-Sin Tan', '']);
    expect(parseCsvLine('"a,""b"",c"')).toEqual(['a,"b",c']);
  });

  it('drops one trailing carriage return', () => {
    expect(parseCsvLine('a,"b"\r')).toEqual(['a', 'b']);
    expect(parseCsvLine('a,b\r')).toEqual(['a', 'b']);
  });

  it('reports a quoted field that does not end', () => {
    expect(parseCsvLine('a,"b,c')).toEqual({ error: 'unterminated quoted field' });
    expect(parseCsvLine('"a""')).toEqual({ error: 'unterminated quoted field' });
  });

  it('reports quotes where RFC 4180 does not allow them', () => {
    expect(parseCsvLine('a,"b"c,d')).toEqual({ error: 'unexpected character after closing quote at column 6' });
    expect(parseCsvLine('a,b"c')).toEqual({ error: 'quote inside unquoted field at column 4' });
  });
});

describe('csvRecord', () => {
  it('keys fields by the header names', () => {
    expect(csvRecord(['repo', 'year'], ['onnx/onnx', '2017'])).toEqual({ repo: 'onnx/onnx', year: '2017' });
  });

  it('names the expected and actual field counts when they differ', () => {
    expect(csvRecord(['repo', 'year'], ['onnx/onnx'])).toEqual({ error: 'expected 2 fields, got 1' });
    expect(csvRecord(['repo', 'year'], ['onnx/onnx', '2017', 'x'])).toEqual({ error: 'expected 2 fields, got 3' });
  });

  it('keeps a column named __proto__ an ordinary field', () => {
    const record = csvRecord(['__proto__'], ['x']);
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });
});
