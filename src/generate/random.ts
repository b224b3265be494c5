/**
 * Seeded randomness for the data generator. Every part of a dataset draws from its own named
 * stream of one seed, so changing how one part is generated leaves the others as they were.
 */

/** 32-bit FNV-1a of a stream name. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index += 1) {
    hash ^= name.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32: spreads a seed over the generator's state words. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let mixed = next;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad);
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97);
  return [next, (mixed ^ (mixed >>> 15)) >>> 0];
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): fast, 128 bits of state, passes PractRand. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    let state = (seed ^ hashName(stream)) | 0;
    const words: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      const [next, word] = splitmix32(state);
      state = next;
      words.push(word);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    // The first outputs of a freshly seeded sfc32 are correlated with the seed.
    for (let index = 0; index < 12; index += 1) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, count). */
  below(count: number): number {
    return Math.floor(this.float() * count);
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.float()));
    return radius * Math.cos(2 * Math.PI * this.float());
  }

  /** A log-normal deviate with the given mean (not median): the spread does not move the average. */
  logNormal(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** A Pareto deviate at least `minimum`; smaller `alpha` means a heavier tail. */
  pareto(minimum: number, alpha: number): number {
    return minimum / (1 - this.float()) ** (1 / alpha);
  }
}

/** Draws indices 0…count-1 with weight 1/(rank+1)^exponent: a few very common items, a long tail. */
export class ZipfSampler {
  private readonly cumulative: Float64Array;

  constructor(
    readonly count: number,
    exponent: number,
  ) {
    this.cumulative = new Float64Array(count);
    let total = 0;
    for (let rank = 0; rank < count; rank += 1) {
      total += 1 / (rank + 1) ** exponent;
      this.cumulative[rank] = total;
    }
  }

  sample(random: Random): number {
    const target = random.float() * (this.cumulative[this.count - 1] ?? 0);
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) <= target) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

const MASK_24 = 0xffffff;

/**
 * A bijection of [0, 2^24) keyed by `key`: xor, odd multiplications and xor-shifts are each
 * invertible there. Turns sequential indices into distinct, unordered-looking codes.
 */
export function scramble24(value: number, key: number): number {
  let x = (value ^ key) & MASK_24;
  x = Math.imul(x, 0x9e3b5) & MASK_24;
  x ^= x >>> 13;
  x = Math.imul(x, 0x5d3a7) & MASK_24;
  x ^= x >>> 11;
  return x;
}

/** In-place Fisher–Yates shuffle, of an array or a typed array. */
export function shuffle<List extends { length: number; [index: number]: unknown }>(items: List, random: Random): List {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = random.below(index + 1);
    const held = items[index];
    items[index] = items[other];
    items[other] = held;
  }
  return items;
}
