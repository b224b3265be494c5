import type { Catalog, Institution, Source } from './catalog.js';
import { type Corpus, WORK_KINDS, type WorkKind } from './graph.js';
import { authorId, DOI_PREFIX, workId } from './identifiers.js';
import { Random, scramble24, shuffle } from './random.js';
import {
  TITLE_CONNECTORS,
  TITLE_DOMAINS,
  TITLE_METHODS,
  TITLE_QUALIFIERS,
  TITLE_SUBTITLES,
  TITLE_TASKS,
} from './vocabulary.js';

/**
 * The corpus as OpenAlex Work objects, one JSON line each, in the fields and shapes of the
 * OpenAlex API and snapshot. cited_by_count and counts_by_year are the corpus's own citations
 * (every year with one, not only OpenAlex's last ten), so figures and edges agree exactly.
 * Lines come in a shuffled order, as a snapshot's do: references point forwards and backwards.
 */

export interface OpenalexWork {
  id: string;
  doi: string | null;
  title: string;
  display_name: string;
  publication_year: number;
  publication_date: string;
  ids: { openalex: string; doi?: string };
  language: string;
  primary_location: {
    is_oa: boolean;
    landing_page_url: string | null;
    pdf_url: null;
    source: Source | null;
    version: string;
  };
  type: string;
  type_crossref: string;
  authorships: Authorship[];
  biblio: { volume: string | null; issue: string | null; first_page: string | null; last_page: string | null };
  cited_by_count: number;
  counts_by_year: { year: number; cited_by_count: number }[];
  referenced_works_count: number;
  referenced_works: string[];
  updated_date: string;
  created_date: string;
}

interface Authorship {
  author_position: 'first' | 'middle' | 'last';
  author: { id: string; display_name: string; orcid: string | null };
  institutions: Institution[];
  countries: string[];
  is_corresponding: boolean;
  raw_author_name: string;
  raw_affiliation_strings: string[];
}

/** OpenAlex dates the works it took over from Microsoft Academic Graph with that graph's last day. */
const MAG_CREATED_DATE = '2016-06-24';
const DAY_MS = 86_400_000;
/** "MM-DD" of each day of a common year (no generated work is dated 29 February). */
const MONTH_DAYS = Array.from({ length: 365 }, (_, day) =>
  new Date(Date.UTC(2025, 0, 1) + day * DAY_MS).toISOString().slice(5, 10),
);
/** The figures are current on an updated_date in the first two months after the last year ends. */
const UPDATED_DAYS = Array.from({ length: 59 }, (_, day) =>
  new Date(Date.UTC(2026, 0, 1) + day * DAY_MS).toISOString().slice(0, 10),
);

/**
 * One JSON line per work. The lines are written by hand rather than by JSON.stringify of
 * nested objects, and the parts repeated across works (sources, a person's institutions)
 * are serialized once: that saves a third of the run time. Every string not made of a fixed
 * alphabet goes through JSON.stringify; the tests parse the lines back.
 */
export function* openalexLines(corpus: Corpus, catalog: Catalog): Generator<string> {
  const writer: LineWriter = {
    random: new Random(corpus.seed, 'records'),
    titleKey: new Random(corpus.seed, 'titles').uint32(),
    doiKey: new Random(corpus.seed, 'dois').uint32(),
    sourceJson: new Map(),
    affiliationJson: new Map(),
  };
  const order = shuffle(
    Int32Array.from({ length: corpus.workCount }, (_, work) => work),
    new Random(corpus.seed, 'order'),
  );
  for (const work of order) yield workLine(corpus, catalog, work, writer);
}

/** What writing the lines needs besides the corpus: the random stream, keys and serialized parts. */
interface LineWriter {
  random: Random;
  titleKey: number;
  doiKey: number;
  sourceJson: Map<Source, string>;
  /** The institutions, countries and raw_affiliation_strings fields of each institution set. */
  affiliationJson: Map<string, string>;
}

function workLine(corpus: Corpus, catalog: Catalog, work: number, writer: LineWriter): string {
  const { random } = writer;
  const year = corpus.workYear[work] ?? 0;
  const workKind = WORK_KINDS[corpus.workKind[work] ?? 0] as WorkKind;
  const id = `"${workId(work)}"`;
  const title = JSON.stringify(titleOf(work, writer));
  const venue = workKind.venue ? catalog.pickVenue(workKind.venue, random) : null;
  const repository = venue?.source.type === 'repository';
  const doi = random.chance(workKind.doiChance * (year < 1995 ? 0.6 : 1))
    ? JSON.stringify(
        `https://doi.org/${DOI_PREFIX}/${venue?.doiCode ?? workKind.type}.${year}.${scramble24(work, writer.doiKey).toString(36)}`,
      )
    : 'null';
  const published = `${year}-${random.chance(0.1) ? '01-01' : MONTH_DAYS[random.below(365)]}`;
  const isOa = repository || random.chance(year >= 2010 ? 0.45 : 0.15);
  let source = 'null';
  if (venue) {
    source = writer.sourceJson.get(venue.source) ?? JSON.stringify(venue.source);
    writer.sourceJson.set(venue.source, source);
  }
  let references = '';
  const firstReference = corpus.referenceOffsets[work] ?? 0;
  const endReference = corpus.referenceOffsets[work + 1] ?? 0;
  for (let at = firstReference; at < endReference; at += 1)
    references += `${at > firstReference ? ',' : ''}"${workId(corpus.references[at] ?? 0)}"`;
  const citedBy = citationsByYear(corpus, work);
  return (
    `{"id":${id},"doi":${doi},"title":${title},"display_name":${title},"publication_year":${year},` +
    `"publication_date":"${published}","ids":{"openalex":${id}${doi === 'null' ? '' : `,"doi":${doi}`}},` +
    `"language":"en","primary_location":{"is_oa":${isOa},"landing_page_url":${doi},"pdf_url":null,` +
    `"source":${source},"version":"${repository ? 'submittedVersion' : 'publishedVersion'}"},` +
    `"type":"${workKind.type}","type_crossref":"${workKind.typeCrossref}",` +
    `"authorships":[${authorships(corpus, catalog, work, writer)}],` +
    `"biblio":${JSON.stringify(biblioOf(venue?.source.type ?? null, year, random))},` +
    `"cited_by_count":${citedBy.total},"counts_by_year":[${citedBy.years}],` +
    `"referenced_works_count":${endReference - firstReference},"referenced_works":[${references}],` +
    `"updated_date":"${updatedDate(random)}",` +
    `"created_date":"${published < MAG_CREATED_DATE ? MAG_CREATED_DATE : published}"}\n`
  );
}

/**
 * Four words picked by a bijection of the work's number, then a random connector and maybe a
 * subtitle. Each word list is prefix-free once reduced to the importer's title key, so the
 * keys of two titles are equal only if their four words are: no two works share a title, and
 * the importer's title-and-year matching never merges two generated works.
 */
function titleOf(work: number, writer: Pick<LineWriter, 'random' | 'titleKey'>): string {
  const { random } = writer;
  const code = scramble24(work, writer.titleKey);
  let title = [
    TITLE_QUALIFIERS[code & 63],
    TITLE_METHODS[(code >>> 6) & 63],
    random.pick(TITLE_CONNECTORS),
    TITLE_DOMAINS[(code >>> 12) & 63],
    TITLE_TASKS[(code >>> 18) & 63],
  ].join(' ');
  if (random.chance(0.25)) title += `: ${random.pick(TITLE_SUBTITLES)}`;
  // Many venues print titles in sentence case.
  if (random.chance(0.3)) title = title[0] + title.slice(1).toLowerCase();
  return title;
}

function authorships(corpus: Corpus, catalog: Catalog, work: number, writer: LineWriter): string {
  const start = corpus.authorshipOffsets[work] ?? 0;
  const end = corpus.authorshipOffsets[work + 1] ?? 0;
  let list = '';
  for (let slot = start; slot < end; slot += 1) {
    const person = corpus.authorshipAuthors[slot] ?? 0;
    const name = JSON.stringify(corpus.authors.name(person));
    const orcid = corpus.authors.orcid(person);
    const position = slot === start ? 'first' : slot === end - 1 ? 'last' : 'middle';
    list +=
      `${slot > start ? ',' : ''}{"author_position":"${position}",` +
      `"author":{"id":"${authorId(person)}","display_name":${name},"orcid":${orcid ? `"${orcid}"` : 'null'}},` +
      `${affiliations(corpus.authors.institutionsOf(person), catalog, writer)},` +
      `"is_corresponding":${slot === start},"raw_author_name":${name}}`;
  }
  return list;
}

function affiliations(indices: number[], catalog: Catalog, writer: LineWriter): string {
  const key = indices.join(' ');
  const known = writer.affiliationJson.get(key);
  if (known !== undefined) return known;
  const institutions = indices.map((index) => catalog.institutions[index] as Institution);
  const json = [
    `"institutions":${JSON.stringify(institutions)}`,
    `"countries":${JSON.stringify([...new Set(institutions.map((institution) => institution.country_code))])}`,
    `"raw_affiliation_strings":${JSON.stringify(institutions.map((institution) => institution.display_name))}`,
  ].join(',');
  writer.affiliationJson.set(key, json);
  return json;
}

/** Per-year counts as JSON objects, latest year first as OpenAlex lists them. */
function citationsByYear(corpus: Corpus, work: number): { total: number; years: string } {
  const start = corpus.citedByOffsets[work] ?? 0;
  const end = corpus.citedByOffsets[work + 1] ?? 0;
  let years = '';
  // citingYears are ascending: walking back gives the latest year first.
  let at = end - 1;
  while (at >= start) {
    const year = corpus.citingYears[at] ?? 0;
    let count = 0;
    while (at >= start && corpus.citingYears[at] === year) {
      count += 1;
      at -= 1;
    }
    years += `${years ? ',' : ''}{"year":${year},"cited_by_count":${count}}`;
  }
  return { total: end - start, years };
}

function updatedDate(random: Random): string {
  const seconds = random.below(86_400);
  const time = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  return `${UPDATED_DAYS[random.below(UPDATED_DAYS.length)]}T${time}.${String(random.below(1_000_000)).padStart(6, '0')}`;
}

function biblioOf(sourceType: string | null, year: number, random: Random): OpenalexWork['biblio'] {
  const pages = () => {
    const first = 1 + random.below(1_500);
    return { first_page: String(first), last_page: String(first + 3 + random.below(25)) };
  };
  if (sourceType === 'journal') return { volume: String(year - 1960), issue: String(1 + random.below(12)), ...pages() };
  if (sourceType === 'conference' || sourceType === 'book series') return { volume: null, issue: null, ...pages() };
  return { volume: null, issue: null, first_page: null, last_page: null };
}
