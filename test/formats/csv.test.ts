import { describe, expect, it } from 'vitest';
import { csvRecord, parseCsvLine } from '../../src/ingest/csv.js';

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

  it('reports a quoted field that does not end on the line', () => {
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
