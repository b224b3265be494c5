/**
 * RFC 4180 fields of one physical line. Quoted fields may hold commas and "" escapes; a quoted
 * field that runs past the end of the line is reported, since records here never span lines.
 * One trailing carriage return is dropped, so CRLF files read line by line parse the same.
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
