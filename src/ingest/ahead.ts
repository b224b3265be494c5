import type { InputLine } from './input.js';
import type { Parsed } from './records.js';

/**
 * Reading ahead: while a batch is being written (the process waits on the database), the next
 * records are read and parsed, so parsing, the import's main cost in this process, overlaps the
 * database's work instead of following it. Records come out in input order, each with its parse
 * result, and an error of the input surfaces where it occurred, after the records before it.
 */

export type Item<T> = { line: number; parse: () => Parsed<T> } | Extract<InputLine, { problem: string }>;

/** A record with its parse result; null for a problem line or a line the run skips. */
export interface Ahead<T> {
  item: Item<T>;
  parsed: Parsed<T> | null;
}

const SLICE_MS = 2;

type Slot<T> = { done: false; value: Ahead<T> } | { done: true } | { error: unknown };

/**
 * Reads `source` ahead of the consumer, at most `depth` records. Lines up to `skipThrough` (done
 * by an earlier run) are passed on unparsed.
 */
export function readAhead<T>(
  source: AsyncIterable<Item<T>>,
  skipThrough: number,
  depth: number,
): { next(): Promise<IteratorResult<Ahead<T>>> } {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Slot<T>[] = [];
  let pumping = false;
  let ended = false;
  let wake: (() => void) | null = null;
  const push = (slot: Slot<T>) => {
    queue.push(slot);
    wake?.();
    wake = null;
  };
  const pump = async () => {
    if (pumping || ended) return;
    pumping = true;
    let slice = performance.now();
    try {
      while (queue.length < depth && !ended) {
        // Parsing runs on the thread that also carries the batch being written: it yields to
        // I/O every few milliseconds, so the database's answers are taken up without delay.
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
        try {
          const next = await iterator.next();
          if (next.done) {
            ended = true;
            push({ done: true });
            break;
          }
          const item = next.value;
          const parsed = 'problem' in item || item.line <= skipThrough ? null : item.parse();
          push({ done: false, value: { item, parsed } });
        } catch (error) {
          ended = true;
          push({ error });
        }
      }
    } finally {
      pumping = false;
    }
  };
  return {
    async next() {
      while (queue.length === 0) {
        if (ended) return { done: true, value: undefined };
        const waiting = new Promise<void>((resolve) => {
          wake = resolve;
        });
        void pump();
        await waiting;
      }
      const slot = queue.shift() as Slot<T>;
      if ('error' in slot) throw slot.error;
      // Keep reading while the consumer works on what it took.
      if (!slot.done) void pump();
      return slot.done ? { done: true, value: undefined } : { done: false, value: slot.value };
    },
  };
}
