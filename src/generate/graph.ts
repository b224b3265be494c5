import { institutionCount, type VenueKind } from './catalog.js';
import { AuthorPool } from './people.js';
import { Random } from './random.js';

/**
 * The bibliographic structure of a generated dataset, in typed arrays: which works exist in
 * which year, who wrote them and what they cite. Works are numbered in publication order, so
 * a work can only cite works numbered before it.
 *
 * - Works per year grow about 4.5% a year, as the literature has since the 1970s.
 * - Authorship is a Yule process: a slot goes to a new person, to a co-author of the first
 *   author's previous work (teams persist), or to the author of a random recent authorship
 *   (prolific people are picked in proportion to what they already wrote), which makes
 *   productivity Zipf-like.
 * - Citation is preferential attachment within the cited year: the age of a reference is drawn
 *   first (a few the same year, most within a decade, a long tail), then mostly a work already
 *   cited, in proportion to its citations so far. Citation counts come out heavy-tailed.
 */

export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2025;
const YEARS = LAST_YEAR - FIRST_YEAR + 1;
const GROWTH = 0.045;

const MAX_AUTHORS = 1_000;
const MAX_REFERENCES = 2_000;
/** Authorships of the last this many years are the pool returning authors are drawn from. */
const ACTIVE_YEARS = 8;
const NEW_AUTHOR_SHARE = 0.3;
const REPEAT_TEAM_SHARE = 0.5;
const SAME_YEAR_SHARE = 0.03;
/** References to a work of the year picked uniformly: without them, an uncited work could never be cited. */
const UNIFORM_SHARE = 0.25;
/** Picks before a reference is given up (a year with few works may have none left to cite). */
const ATTEMPTS = 8;

export interface WorkKind {
  type: string;
  typeCrossref: string;
  /** Share among the kinds that exist in a year. */
  share: number;
  /** The first year works of the kind appear (preprint servers, data repositories). */
  since: number;
  venue: VenueKind | null;
  /** References relative to an article's. */
  references: number;
  doiChance: number;
  maxAuthors: number;
}

const kind = (type: string, typeCrossref: string, fields: Partial<WorkKind> & { share: number }): WorkKind => ({
  type,
  typeCrossref,
  since: FIRST_YEAR,
  venue: null,
  references: 1,
  doiChance: 0.8,
  maxAuthors: MAX_AUTHORS,
  ...fields,
});

export const WORK_KINDS: readonly WorkKind[] = [
  kind('article', 'journal-article', { share: 0.62, venue: 'journal', doiChance: 0.9 }),
  kind('article', 'proceedings-article', { share: 0.12, venue: 'conference', references: 0.8, doiChance: 0.7 }),
  kind('preprint', 'posted-content', { share: 0.07, since: 1991, venue: 'repository', doiChance: 0.3 }),
  kind('review', 'journal-article', { share: 0.03, venue: 'journal', references: 3.5 }),
  kind('book-chapter', 'book-chapter', { share: 0.06, venue: 'book series', doiChance: 0.7 }),
  kind('book', 'book', { share: 0.015, references: 2, doiChance: 0.5, maxAuthors: 4 }),
  kind('dissertation', 'dissertation', { share: 0.02, references: 3, doiChance: 0.1, maxAuthors: 1 }),
  kind('report', 'report', { share: 0.02, references: 0.8, doiChance: 0.3 }),
  kind('dataset', 'dataset', { share: 0.015, since: 2000, venue: 'data repository', references: 0.1, doiChance: 1 }),
];

export interface Corpus {
  seed: number;
  workCount: number;
  /** yearStart[y - FIRST_YEAR] is the first work of year y; yearStart[YEARS] is workCount. */
  yearStart: Int32Array;
  workYear: Uint16Array;
  /** Index into WORK_KINDS. */
  workKind: Uint8Array;
  /** The authors of work w are authorshipAuthors[authorshipOffsets[w] … authorshipOffsets[w + 1]), in order. */
  authorshipOffsets: Int32Array;
  authorshipAuthors: Int32Array;
  /** The works work w cites are references[referenceOffsets[w] … referenceOffsets[w + 1]). */
  referenceOffsets: Int32Array;
  references: Int32Array;
  /** The years of the works citing work w, ascending: citingYears[citedByOffsets[w] … citedByOffsets[w + 1]). */
  citedByOffsets: Int32Array;
  citingYears: Uint16Array;
  authors: AuthorPool;
}

export function generateCorpus(workCount: number, seed: number): Corpus {
  const yearStart = splitYears(workCount);
  const workYear = new Uint16Array(workCount);
  for (let year = 0; year < YEARS; year += 1) workYear.fill(FIRST_YEAR + year, yearStart[year], yearStart[year + 1]);

  const random = new Random(seed, 'works');
  const workKind = new Uint8Array(workCount);
  const authorshipOffsets = new Int32Array(workCount + 1);
  const plannedReferences = new Uint16Array(workCount);
  for (let work = 0; work < workCount; work += 1) {
    const year = workYear[work] ?? FIRST_YEAR;
    const kindIndex = pickKind(random, year);
    const workKindOf = WORK_KINDS[kindIndex] as WorkKind;
    workKind[work] = kindIndex;
    authorshipOffsets[work + 1] = (authorshipOffsets[work] ?? 0) + authorCount(random, workKindOf, year);
    plannedReferences[work] = referenceCount(random, workKindOf, year);
  }

  const authors = new AuthorPool(authorshipOffsets[workCount] ?? 0, institutionCount(workCount), seed);
  const authorshipAuthors = assignAuthors(
    authorshipOffsets,
    workYear,
    yearStart,
    authors,
    new Random(seed, 'authorships'),
  );
  const { referenceOffsets, references } = citeEarlierWorks(
    workYear,
    yearStart,
    plannedReferences,
    new Random(seed, 'citations'),
  );
  const { citedByOffsets, citingYears } = invertCitations(workYear, referenceOffsets, references);
  return {
    seed,
    workCount,
    yearStart,
    workYear,
    workKind,
    authorshipOffsets,
    authorshipAuthors,
    referenceOffsets,
    references,
    citedByOffsets,
    citingYears,
    authors,
  };
}

/** Works per year in proportion to exp(GROWTH · year), rounded so they add up to workCount. */
function splitYears(workCount: number): Int32Array {
  const weights = Array.from({ length: YEARS }, (_, year) => Math.exp(GROWTH * year));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const exact = weights.map((weight) => (workCount * weight) / total);
  const counts = exact.map(Math.floor);
  // Largest remainders first; ties go to the later year.
  const byRemainder = exact
    .map((value, year) => ({ year, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || b.year - a.year);
  let missing = workCount - counts.reduce((sum, count) => sum + count, 0);
  for (const { year } of byRemainder) {
    if (missing === 0) break;
    counts[year] = (counts[year] ?? 0) + 1;
    missing -= 1;
  }
  const yearStart = new Int32Array(YEARS + 1);
  for (let year = 0; year < YEARS; year += 1) yearStart[year + 1] = (yearStart[year] ?? 0) + (counts[year] ?? 0);
  return yearStart;
}

function pickKind(random: Random, year: number): number {
  let total = 0;
  for (const entry of WORK_KINDS) if (entry.since <= year) total += entry.share;
  let target = random.float() * total;
  for (const [index, entry] of WORK_KINDS.entries()) {
    if (entry.since > year) continue;
    target -= entry.share;
    if (target < 0) return index;
  }
  return 0;
}

/** 0 in 1970, 1 in 2025: teams grow and reference lists lengthen over the decades. */
const progressOf = (year: number) => (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR);

/** Mostly small teams, single authors less common over time, and a heavy tail of large collaborations. */
function authorCount(random: Random, workKind: WorkKind, year: number): number {
  const progress = progressOf(year);
  const count = random.chance(0.002 + 0.006 * progress)
    ? Math.floor(random.pareto(16, 1.3))
    : Math.max(1, Math.round(random.logNormal(2 + 2.6 * progress, 0.75)));
  return Math.min(count, workKind.maxAuthors);
}

function referenceCount(random: Random, workKind: WorkKind, year: number): number {
  if (random.chance(0.05)) return 0;
  const mean = (7.8 + 9.5 * progressOf(year)) * workKind.references;
  return Math.min(MAX_REFERENCES, Math.round(random.logNormal(mean, 0.7)));
}

function assignAuthors(
  offsets: Int32Array,
  workYear: Uint16Array,
  yearStart: Int32Array,
  authors: AuthorPool,
  random: Random,
): Int32Array {
  const workCount = workYear.length;
  const slots = new Int32Array(offsets[workCount] ?? 0);
  // The work each person was last put on, so no one is an author of a work twice.
  const onWork = new Int32Array(slots.length).fill(-1);
  for (let work = 0; work < workCount; work += 1) {
    const year = workYear[work] ?? FIRST_YEAR;
    const start = offsets[work] ?? 0;
    const end = offsets[work + 1] ?? 0;
    const recentStart = offsets[yearStart[Math.max(0, year - FIRST_YEAR - ACTIVE_YEARS)] ?? 0] ?? 0;
    let teamWork = -1;
    for (let slot = start; slot < end; slot += 1) {
      let person = -1;
      for (let attempt = 0; attempt < 4 && person < 0; attempt += 1) {
        let candidate = -1;
        if (teamWork >= 0 && random.chance(REPEAT_TEAM_SHARE)) {
          const teamStart = offsets[teamWork] ?? 0;
          candidate = slots[teamStart + random.below((offsets[teamWork + 1] ?? 0) - teamStart)] ?? -1;
        } else if (random.chance(NEW_AUTHOR_SHARE) || start === recentStart) break;
        else candidate = slots[recentStart + random.below(start - recentStart)] ?? -1;
        if (candidate >= 0 && onWork[candidate] !== work) person = candidate;
      }
      if (person < 0) person = authors.create(year);
      onWork[person] = work;
      slots[slot] = person;
      if (slot === start) teamWork = authors.lastWork[person] ?? -1;
    }
    for (let slot = start; slot < end; slot += 1) authors.lastWork[slots[slot] ?? 0] = work;
  }
  return slots;
}

/** Cumulative weights of reference ages 0…YEARS-1: log-normal around four years, a few the same year. */
function referenceAges(): Float64Array {
  const density = Array.from({ length: YEARS }, (_, age) =>
    age === 0 ? 0 : Math.exp(-((Math.log(age) - Math.log(4)) ** 2) / (2 * 0.85 ** 2)) / age,
  );
  const total = density.reduce((sum, value) => sum + value, 0);
  const cumulative = new Float64Array(YEARS);
  let sum = SAME_YEAR_SHARE;
  for (let age = 0; age < YEARS; age += 1) {
    if (age > 0) sum += ((1 - SAME_YEAR_SHARE) * (density[age] ?? 0)) / total;
    cumulative[age] = sum;
  }
  return cumulative;
}

function citeEarlierWorks(
  workYear: Uint16Array,
  yearStart: Int32Array,
  plannedReferences: Uint16Array,
  random: Random,
): { referenceOffsets: Int32Array; references: Int32Array } {
  const workCount = workYear.length;
  const ages = referenceAges();
  const planned = plannedReferences.reduce((sum, count) => sum + count, 0);
  const references = new Int32Array(planned);
  const referenceOffsets = new Int32Array(workCount + 1);
  // Every citation so far, by the cited work's year: drawing from it favours the often cited.
  const citedIn = Array.from({ length: YEARS }, () => new IntList());
  // The work that last cited each work, so no work cites another twice.
  const lastCitedBy = new Int32Array(workCount).fill(-1);
  let cursor = 0;
  for (let work = 0; work < workCount; work += 1) {
    const year = (workYear[work] ?? FIRST_YEAR) - FIRST_YEAR;
    for (let reference = 0; reference < (plannedReferences[work] ?? 0); reference += 1) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const citedYear = year - sampleAge(ages, year, random);
        const first = yearStart[citedYear] ?? 0;
        const end = citedYear === year ? work : (yearStart[citedYear + 1] ?? 0);
        if (end <= first) continue;
        const cited = citedIn[citedYear] as IntList;
        const target =
          cited.length === 0 || random.chance(UNIFORM_SHARE)
            ? first + random.below(end - first)
            : cited.at(random.below(cited.length));
        if (lastCitedBy[target] === work) continue;
        lastCitedBy[target] = work;
        references[cursor] = target;
        cursor += 1;
        cited.push(target);
        break;
      }
    }
    referenceOffsets[work + 1] = cursor;
  }
  return { referenceOffsets, references: references.subarray(0, cursor) };
}

/** An age in years, at most `maxAge` (no reference reaches before FIRST_YEAR). */
function sampleAge(cumulative: Float64Array, maxAge: number, random: Random): number {
  const target = random.float() * (cumulative[maxAge] ?? 0);
  let age = 0;
  while (age < maxAge && (cumulative[age] ?? 0) <= target) age += 1;
  return age;
}

function invertCitations(
  workYear: Uint16Array,
  referenceOffsets: Int32Array,
  references: Int32Array,
): { citedByOffsets: Int32Array; citingYears: Uint16Array } {
  const workCount = workYear.length;
  const citedByOffsets = new Int32Array(workCount + 1);
  for (const cited of references) citedByOffsets[cited + 1] = (citedByOffsets[cited + 1] ?? 0) + 1;
  for (let work = 0; work < workCount; work += 1)
    citedByOffsets[work + 1] = (citedByOffsets[work + 1] ?? 0) + (citedByOffsets[work] ?? 0);
  const next = citedByOffsets.slice(0, workCount);
  const citingYears = new Uint16Array(references.length);
  // Citing works in publication order: each work's citing years come out ascending.
  for (let work = 0; work < workCount; work += 1) {
    const year = workYear[work] ?? FIRST_YEAR;
    for (let at = referenceOffsets[work] ?? 0; at < (referenceOffsets[work + 1] ?? 0); at += 1) {
      const cited = references[at] ?? 0;
      citingYears[next[cited] ?? 0] = year;
      next[cited] = (next[cited] ?? 0) + 1;
    }
  }
  return { citedByOffsets, citingYears };
}

/** A growable list of 32-bit integers, for lists whose length is known only at the end. */
class IntList {
  private data = new Int32Array(16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  at(index: number): number {
    return this.data[index] ?? 0;
  }
}
