import { currentInputLimits, type InputLimits, type InputLine, type LineReader, readLines, tooLarge } from './input.js';

/**
 * The records of a CSV file (RFC 4180): a quoted field may hold commas, "" escapes and line
 * breaks (kept as "\n", whether the file ends lines with LF or CRLF), so a record may span
 * lines; each comes with the line it starts on. Blank lines between records are skipped. A
 * record longer than the record size cap is refused, and reading starts afresh after the line
 * that made it too long.
 */
export async function readCsvRecords(file: string, limits: InputLimits = currentInputLimits()): Promise<LineReader> {
  const reader = await readLines(file, { limits, blankLines: true });
  async function* records(): AsyncGenerator<InputLine> {
    let open: { line: number; text: string; bytes: number } | null = null;
    for await (const item of reader.lines) {
      if ('problem' in item) {
        // A line that cannot be read ends the record it belongs to.
        yield open ? { ...item, line: open.line } : item;
        open = null;
        continue;
      }
      if (!open && item.text.trim() === '') continue;
      const text: string = open ? `${open.text}\n${item.text}` : item.text;
      const start: number = open?.line ?? item.line;
      const bytes: number = (open?.bytes ?? 0) + Buffer.byteLength(item.text) + 1;
      if (bytes > limits.maxRecordBytes) {
        open = null;
        yield tooLarge(start, limits);
      } else if (endsInQuotedField(item.text, open !== null)) {
        open = { line: start, text, bytes };
      } else {
        open = null;
        yield { line: start, text };
      }
    }
    // A quoted field still open at the end of the file: parsing reports it, at the record's line.
    if (open) yield { line: open.line, text: open.text };
  }
  return { lines: records(), bytesRead: reader.bytesRead, size: reader.size };
}

/** Whether a record still is inside a quoted field after `line`; `quoted` says it was before. */
function endsInQuotedField(line: string, quoted: boolean): boolean {
  let inside = quoted;
  let fieldStart = !quoted;
  for (let at = 0; at < line.length; at++) {
    const char = line[at];
    if (inside) {
      if (char !== '"') continue;
      if (line[at + 1] === '"') at += 1;
      else inside = false;
    } else if (char === '"' && fieldStart) {
      inside = true;
    } else {
      fieldStart = char === ',';
    }
  }
  return inside;
}

/**
 * RFC 4180 fields of one record as readCsvRecords gives it. Quoted fields may hold commas, ""
 * escapes and line breaks; one trailing carriage return is dropped.
 */
export function parseCsvLine(line: string): string[] | { error: string } {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    const field = text[at] === '"' ? quotedField(text, at) : unquotedField(text, at);
    if ('error' in field) return field;
    fields.push(field.value);
    if (field.end >= text.length) return fields;
    at = field.end + 1;
  }
}

type Field = { value: string; end: number } | { error: string };

/** The field opening at `start`; `end` is the index of the comma after it, or the line's length. */
function unquotedField(text: string, start: number): Field {
  const comma = text.indexOf(',', start);
  const end = comma === -1 ? text.length : comma;
  const value = text.slice(start, end);
  const quote = value.indexOf('"');
  if (quote !== -1) return { error: `quote inside unquoted field at column ${start + quote + 1}` };
  return { value, end };
}

function quotedField(text: string, start: number): Field {
  let value = '';
  let at = start + 1;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return { error: 'unterminated quoted field' };
    value += text.slice(at, quote);
    if (text[quote + 1] === '"') {
      value += '"';
      at = quote + 2;
      continue;
    }
    const end = quote + 1;
    if (end < text.length && text[end] !== ',') {
      return { error: `unexpected character after closing quote at column ${end + 1}` };
    }
    return { value, end };
  }
}

/** The fields of one line keyed by the header's names. */
export function csvRecord(header: string[], fields: string[]): Record<string, string> | { error: string } {
  if (fields.length !== header.length) {
    return { error: `expected ${header.length} fields, got ${fields.length}` };
  }
  // fromEntries keeps a column named "__proto__" an ordinary key.
  return Object.fromEntries(header.map((name, index) => [name, fields[index] ?? '']));
}
