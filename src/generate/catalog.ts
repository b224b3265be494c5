import { matchKey } from '../services/identifiers.js';
import { institutionId, issnFor, rorFor, sourceId } from './identifiers.js';
import { Random, shuffle, ZipfSampler } from './random.js';
import {
  BOOK_SERIES_PATTERNS,
  COMPANIES,
  CONFERENCE_PATTERNS,
  DATA_REPOSITORIES,
  FIELDS,
  INSTITUTION_PATTERNS,
  JOURNAL_PATTERNS,
  PLACES,
  PREPRINT_SERVERS,
  PUBLISHERS,
} from './vocabulary.js';

/**
 * The institutions and venues (OpenAlex sources) works are attached to. Both are drawn
 * Zipf-like: a few large universities and journals, many small ones.
 */

/** An OpenAlex institution object as authorships carry it. */
export interface Institution {
  id: string;
  display_name: string;
  ror: string;
  country_code: string;
  type: string;
}

export type VenueKind = 'journal' | 'conference' | 'book series' | 'repository' | 'data repository';

/** The OpenAlex source object of a primary location. */
export interface Source {
  id: string;
  display_name: string;
  issn_l: string | null;
  type: string;
  host_organization_name: string | null;
}

export interface Venue {
  source: Source;
  /** Short code in the venue's DOIs, e.g. "jml" for Journal of Machine Learning. */
  doiCode: string;
}

/** About one institution per 400 works: people per institution stay plausible at every size. */
export function institutionCount(works: number): number {
  return Math.min(
    PLACES.length * INSTITUTION_PATTERNS.length + COMPANIES.length,
    Math.max(20, Math.round(works / 400)),
  );
}

export interface Catalog {
  institutions: Institution[];
  /** E-mail domain of each institution, for contribution rows. */
  institutionDomains: string[];
  pickVenue(kind: VenueKind, random: Random): Venue;
}

export function buildCatalog(works: number, seed: number): Catalog {
  const random = new Random(seed, 'catalog');
  const institutions = buildInstitutions(institutionCount(works), random);
  const venues = buildVenues(works, random);
  const samplers = new Map([...venues].map(([kind, list]) => [kind, new ZipfSampler(list.length, 1)]));
  return {
    institutions,
    institutionDomains: institutions.map((institution) => `${matchKey(institution.display_name)}.org`),
    pickVenue: (kind, pick) => {
      const list = venues.get(kind) ?? [];
      return list[samplers.get(kind)?.sample(pick) ?? 0] as Venue;
    },
  };
}

function buildInstitutions(count: number, random: Random): Institution[] {
  const named = [
    ...PLACES.flatMap(([place, country]) =>
      INSTITUTION_PATTERNS.map(([pattern, type]) => ({ name: pattern.replace('{}', place), country, type })),
    ),
    ...COMPANIES.map(([name, country]) => ({ name, country, type: 'company' })),
  ];
  return shuffle(named, random)
    .slice(0, count)
    .map((entry, index) => ({
      id: institutionId(index),
      display_name: entry.name,
      ror: rorFor(index),
      country_code: entry.country,
      type: entry.type,
    }));
}

/** Journals and conferences grow with the dataset; book series and repositories are few at any size. */
function buildVenues(works: number, random: Random): Map<VenueKind, Venue[]> {
  let next = 0;
  const venue = (name: string, type: string, issn: boolean): Venue => {
    const index = next;
    next += 1;
    return {
      source: {
        id: sourceId(index),
        display_name: name,
        issn_l: issn ? issnFor(index) : null,
        type,
        host_organization_name: type === 'repository' ? null : random.pick(PUBLISHERS),
      },
      doiCode: name
        .split(/[\s-]+/)
        .filter((word) => /^\p{Lu}/u.test(word))
        .map((word) => word[0]?.toLowerCase())
        .join(''),
    };
  };
  const titled = (patterns: string[], count: number) =>
    shuffle(
      FIELDS.flatMap((field) => patterns.map((pattern) => pattern.replace('{}', field))),
      random,
    ).slice(0, Math.max(4, count));
  return new Map<VenueKind, Venue[]>([
    ['journal', titled(JOURNAL_PATTERNS, Math.round(works / 2_000)).map((name) => venue(name, 'journal', true))],
    [
      'conference',
      titled(CONFERENCE_PATTERNS, Math.round(works / 10_000)).map((name) => venue(name, 'conference', false)),
    ],
    [
      'book series',
      titled(BOOK_SERIES_PATTERNS, Math.round(works / 20_000)).map((name) => venue(name, 'book series', true)),
    ],
    ['repository', PREPRINT_SERVERS.map((name) => venue(name, 'repository', false))],
    ['data repository', DATA_REPOSITORIES.map((name) => venue(name, 'repository', false))],
  ]);
}
