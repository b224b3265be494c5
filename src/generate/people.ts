import { ORCID_CAPACITY, orcidFor } from './identifiers.js';
import { Random, ZipfSampler } from './random.js';
import { FAMILY_NAMES, GIVEN_NAMES, HAN_NAMES } from './vocabulary.js';

/**
 * The generated authors, one typed-array slot per person. Names repeat the way real ones do
 * (common family names are common, so namesakes abound); ORCIDs and institutions are more
 * frequent for people who started publishing recently.
 */

const NO_INSTITUTION = -1;

export class AuthorPool {
  count = 0;
  private readonly givenName: Uint8Array;
  private readonly familyName: Uint8Array;
  /** 0: none; 1…26: A…Z. */
  private readonly middleInitial: Uint8Array;
  /** 0: the name is in Latin script; n: HAN_NAMES[n - 1]. */
  private readonly hanName: Uint8Array;
  private readonly hasOrcid: Uint8Array;
  private readonly institution: Int16Array;
  private readonly secondInstitution: Int16Array;
  /** The last work the person wrote so far, or -1: co-authors of it are likely co-authors again. */
  readonly lastWork: Int32Array;

  private readonly random: Random;
  private readonly givenNames = new ZipfSampler(GIVEN_NAMES.length, 0.7);
  private readonly familyNames = new ZipfSampler(FAMILY_NAMES.length, 1);
  private readonly institutions: ZipfSampler;

  constructor(capacity: number, institutionCount: number, seed: number) {
    this.givenName = new Uint8Array(capacity);
    this.familyName = new Uint8Array(capacity);
    this.middleInitial = new Uint8Array(capacity);
    this.hanName = new Uint8Array(capacity);
    this.hasOrcid = new Uint8Array(capacity);
    this.institution = new Int16Array(capacity);
    this.secondInstitution = new Int16Array(capacity);
    this.lastWork = new Int32Array(capacity).fill(-1);
    this.random = new Random(seed, 'people');
    this.institutions = new ZipfSampler(institutionCount, 0.9);
  }

  /** A new person whose first work appears in `year`. */
  create(year: number): number {
    const person = this.count;
    if (person >= ORCID_CAPACITY)
      throw new RangeError(`more than ${ORCID_CAPACITY} people: the ORCID block is used up`);
    this.count += 1;
    const random = this.random;
    this.givenName[person] = this.givenNames.sample(random);
    this.familyName[person] = this.familyNames.sample(random);
    this.middleInitial[person] = random.chance(0.3) ? 1 + random.below(26) : 0;
    this.hanName[person] = random.chance(0.02) ? 1 + random.below(HAN_NAMES.length) : 0;
    const recent = year >= 2010 ? 1 : year >= 1995 ? 0.5 : 0;
    this.hasOrcid[person] = random.chance(0.15 + 0.45 * recent) ? 1 : 0;
    const affiliated = random.chance(0.55 + 0.3 * recent);
    this.institution[person] = affiliated ? this.institutions.sample(random) : NO_INSTITUTION;
    const second = affiliated && random.chance(0.08) ? this.institutions.sample(random) : NO_INSTITUTION;
    this.secondInstitution[person] = second === this.institution[person] ? NO_INSTITUTION : second;
    return person;
  }

  name(person: number): string {
    const han = this.hanName[person] ?? 0;
    if (han > 0) return HAN_NAMES[han - 1] as string;
    const given = GIVEN_NAMES[this.givenName[person] ?? 0];
    const family = FAMILY_NAMES[this.familyName[person] ?? 0];
    const initial = this.middleInitial[person] ?? 0;
    return initial > 0 ? `${given} ${String.fromCharCode(64 + initial)}. ${family}` : `${given} ${family}`;
  }

  orcid(person: number): string | null {
    return this.hasOrcid[person] ? orcidFor(person) : null;
  }

  /** The person's institutions (indices into the catalog's), first the main one. */
  institutionsOf(person: number): number[] {
    const main = this.institution[person] ?? NO_INSTITUTION;
    if (main === NO_INSTITUTION) return [];
    const second = this.secondInstitution[person] ?? NO_INSTITUTION;
    return second === NO_INSTITUTION ? [main] : [main, second];
  }
}
