import { describe, expect, it } from 'vitest';
import { type Ahead, type Item, readAhead } from '../src/ingest/ahead.js';
import { InputError } from '../src/ingest/input.js';

/**
 * Reading ahead of the writer: records keep their input order, each parsed once, lines an
 * earlier run finished are not parsed, at most `depth` records wait, and an input that breaks
 * off surfaces its error after the records before it.
 */

async function* lines(count: number, parsed: number[], brokenAfter?: number): AsyncGenerator<Item<number>> {
  for (let line = 1; line <= count; line += 1) {
    if (line === brokenAfter) throw new InputError('the gzip stops inflating');
    if (line % 4 === 0) yield { line, problem: 'not UTF-8', code: 'NOT_UTF8' };
    else
      yield {
        line,
        parse: () => {
          parsed.push(line);
          return { ok: true, value: line * 10 };
        },
      };
  }
}

async function drain(iterator: { next(): Promise<IteratorResult<Ahead<number>>> }) {
  const out: Ahead<number>[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) return out;
    out.push(next.value);
  }
}

describe('reading ahead', () => {
  it('hands on every record in input order with its parse result, each parsed once', async () => {
    const parsed: number[] = [];
    const out = await drain(readAhead(lines(50, parsed), 0, 7));
    expect(out.map((ahead) => ahead.item.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(out.filter((ahead) => ahead.item.line % 4 === 0).every((ahead) => ahead.parsed === null)).toBe(true);
    expect(out.find((ahead) => ahead.item.line === 3)?.parsed).toEqual({ ok: true, value: 30 });
    expect(parsed).toEqual(out.filter((ahead) => ahead.item.line % 4 !== 0).map((ahead) => ahead.item.line));
  });

  it('does not parse the lines an earlier run committed', async () => {
    const parsed: number[] = [];
    const out = await drain(readAhead(lines(20, parsed), 10, 5));
    expect(out).toHaveLength(20);
    expect(Math.min(...parsed)).toBe(11);
  });

  it('reads no further than its depth while the consumer is busy', async () => {
    const parsed: number[] = [];
    const iterator = readAhead(lines(100, parsed), 0, 5);
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The one taken, and five waiting (the fourth line of them is a problem, not parsed).
    expect(parsed).toEqual([1, 2, 3, 5, 6]);
  });

  it('surfaces an input error after the records read before it', async () => {
    const parsed: number[] = [];
    const iterator = readAhead(lines(30, parsed, 9), 0, 100);
    const seen: number[] = [];
    await expect(
      (async () => {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          seen.push(next.value.item.line);
        }
      })(),
    ).rejects.toThrow('the gzip stops inflating');
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});
