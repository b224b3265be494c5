import type { DatePrecision, WorkType } from '../generated/prisma/client.js';
import { matchKey } from '../services/identifiers.js';

/** A stored work with what the bibliography formats print. */
export interface ExportWork {
  id: number;
  title: string | null;
  publicationYear: number | null;
  publicationDate: Date | null;
  /** How much of publicationDate is known; null (older rows) prints the whole date. */
  publicationDatePrecision: DatePrecision | null;
  type: WorkType | null;
  venue: string | null;
  doi: string | null;
  arxivId: string | null;
  openalexId: string | null;
  s2Id: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  publisher: string | null;
  url: string | null;
  citationKey: string | null;
  authors: { name: string; orcid: string | null }[];
}

/** A person's name in the parts citation formats want. */
export interface NameParts {
  given: string;
  family: string;
  suffix: string | null;
}

/** Words a citation key skips when it takes the first word of the title. */
const stopWords = new Set('a an and are as at by for from in into is of on or the to towards via with'.split(' '));

const nameSuffix = /^(?:jr\.?|sr\.?|ii|iii|iv)$/i;

/** Characters that BibTeX, keys or citation commands give a meaning of their own. */
const keyUnsafe = /[\s,{}()"#%'=\\~]/g;

const bibtexTypes: Record<WorkType, string> = {
  ARTICLE: 'article',
  REVIEW: 'article',
  PROCEEDINGS_ARTICLE: 'inproceedings',
  BOOK: 'book',
  BOOK_CHAPTER: 'incollection',
  DISSERTATION: 'phdthesis',
  REPORT: 'techreport',
  PREPRINT: 'misc',
  SOFTWARE: 'software',
  DATASET: 'dataset',
  OTHER: 'misc',
};

const cslTypes: Record<WorkType, string> = {
  ARTICLE: 'article-journal',
  REVIEW: 'review',
  PROCEEDINGS_ARTICLE: 'paper-conference',
  BOOK: 'book',
  BOOK_CHAPTER: 'chapter',
  DISSERTATION: 'thesis',
  REPORT: 'report',
  // CSL has no preprint type; "article" is the one styles and Zotero use for preprints.
  PREPRINT: 'article',
  SOFTWARE: 'software',
  DATASET: 'dataset',
  OTHER: 'document',
};

const risTypes: Record<WorkType, string> = {
  ARTICLE: 'JOUR',
  REVIEW: 'JOUR',
  PROCEEDINGS_ARTICLE: 'CPAPER',
  BOOK: 'BOOK',
  BOOK_CHAPTER: 'CHAP',
  DISSERTATION: 'THES',
  REPORT: 'RPRT',
  PREPRINT: 'UNPB',
  SOFTWARE: 'COMP',
  DATASET: 'DATA',
  OTHER: 'GEN',
};

const latexEscapes: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/**
 * "Yangqing Jia" -> Jia / Yangqing; "Alexandre de Brébisson" -> "de Brébisson" / Alexandre;
 * "Jia, Yangqing" as written. Null for a one-word name, which formats print as it is.
 */
export function splitName(name: string): NameParts | null {
  const [before, ...after] = name.split(',').map((part) => part.trim());
  if (after.length > 0 && before) {
    const given = after.at(-1) ?? '';
    return { family: before, given, suffix: after.length > 1 ? (after[0] ?? null) : null };
  }
  const words = name.trim().split(/\s+/);
  const suffix = words.length > 2 && nameSuffix.test(words.at(-1) ?? '') ? (words.pop() ?? null) : null;
  if (words.length < 2) return null;
  // A lower-case word before the last one starts the family name ("van der", "de").
  const particle = words.findIndex((word, index) => index > 0 && index < words.length - 1 && /^\p{Ll}/u.test(word));
  const familyStart = particle === -1 ? words.length - 1 : particle;
  return { given: words.slice(0, familyStart).join(' '), family: words.slice(familyStart).join(' '), suffix };
}

function asciiLetters(text: string): string {
  return matchKey(text).replace(/[^a-z]/g, '');
}

/** The known part of the work's date: "2020-05-17", "2020-05" or "2020". */
function isoDate(work: ExportWork): string | null {
  if (!work.publicationDate) return null;
  const length = { DAY: 10, MONTH: 7, YEAR: 4 }[work.publicationDatePrecision ?? 'DAY'];
  return work.publicationDate.toISOString().slice(0, length);
}

/**
 * The work's own citation key, or else first author's family name, year and first significant
 * title word: "jia2014caffe". Only ASCII letters and digits, so every BibTeX tool accepts it.
 */
export function citationKeyOf(work: ExportWork): string {
  const own = work.citationKey?.replace(keyUnsafe, '');
  if (own) return own;
  const firstAuthor = work.authors[0]?.name ?? '';
  const family = asciiLetters(splitName(firstAuthor)?.family ?? firstAuthor);
  const words = (work.title ?? '').split(/\s+/).map(asciiLetters);
  const word = words.find((candidate) => candidate && !stopWords.has(candidate)) ?? '';
  const key = `${family}${work.publicationYear ?? ''}${word}`;
  return key || `work${work.id}`;
}

/** "a".."z", then "aa", "ab"...: the suffix for the n-th repeat of a key. */
function keySuffix(index: number): string {
  const letter = String.fromCharCode(97 + (index % 26));
  return index < 26 ? letter : `${keySuffix(Math.floor(index / 26) - 1)}${letter}`;
}

/**
 * One key per work, unique within the list (BibTeX compares keys ignoring case): the first
 * work keeps its key, the next ones with the same key get a, b, c... in list order.
 */
export function uniqueCitationKeys(works: ExportWork[]): string[] {
  const keys = works.map(citationKeyOf);
  const reserved = new Set(keys.map((key) => key.toLowerCase()));
  const used = new Set<string>();
  return keys.map((key) => {
    let unique = key;
    for (let index = 0; used.has(unique.toLowerCase()); index++) {
      unique = `${key}${keySuffix(index)}`;
      if (reserved.has(unique.toLowerCase())) unique = key;
    }
    used.add(unique.toLowerCase());
    return unique;
  });
}

/** BibTeX text for a value: its special characters escaped, non-ASCII letters kept (UTF-8). */
export function escapeBibtex(text: string): string {
  return text.replace(/[\\~^&%$#_{}]/g, (char) => latexEscapes[char] ?? `\\${char}`);
}

/** Words with capitals after their first letter ("TensorFlow", "GPUs") keep their case in any style. */
function bibtexTitle(title: string): string {
  return title
    .split(/\s+/)
    .map((word) => (/\p{Lu}/u.test(word.slice(1)) ? `{${escapeBibtex(word)}}` : escapeBibtex(word)))
    .join(' ');
}

function bibtexName(name: string): string {
  const parts = splitName(name);
  // A name BibTeX would misread ("and" inside it) or cannot split is written as one literal.
  if (!parts || /\band\b/i.test(name)) return `{${escapeBibtex(name)}}`;
  const { family, suffix, given } = parts;
  return [family, suffix, given]
    .filter((part) => part !== null)
    .map(escapeBibtex)
    .join(', ');
}

/** A URL or DOI goes into a verbatim field: only unbalanced braces could break the entry. */
function verbatim(text: string): string {
  return text.replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** "675-678" -> "675--678": BibTeX writes a range with an en dash. */
function bibtexPages(pages: string): string {
  return escapeBibtex(pages).replace(/^([^-\s]+)\s*-\s*([^-\s]+)$/, '$1--$2');
}

/** Venues that are conferences: the words, or the acronyms of the ones the sources write bare. */
const conferenceVenue =
  /\b(?:conference|proceedings|proc\.|symposium|workshop|congress|NIPS|NeurIPS|ICML|ICLR|ECCV|ICCV|CVPR|BMVC|AAAI|IJCAI|ACL|NAACL|EACL|EMNLP|COLING|KDD|OSDI|SOSP|NSDI|SIGGRAPH|SIGIR|SIGMOD|VLDB|ICASSP|Interspeech|MICCAI|ACM Multimedia|SSW)\b/i;
/** Venues that are journals. */
const journalVenue = /\b(?:journal|transactions|magazine|letters|annals|commun\.|j\.|Nature|Science)\b/i;

/**
 * The BibTeX entry type. A work of unknown type is typed by its venue: a conference's makes an
 * @inproceedings, a journal's an @article, anything else (or no venue) a @misc.
 */
function bibtexType(work: ExportWork): string {
  if (work.type) return bibtexTypes[work.type];
  if (work.venue && conferenceVenue.test(work.venue)) return 'inproceedings';
  if (work.venue && journalVenue.test(work.venue)) return 'article';
  return 'misc';
}

/** Where the venue goes: booktitle in a proceedings or collection, howpublished in a @misc, else journal. */
function venueField(type: string): string {
  if (type === 'inproceedings' || type === 'incollection') return 'booktitle';
  if (type === 'misc') return 'howpublished';
  return 'journal';
}

function bibtexFields(work: ExportWork): [string, string | null][] {
  const type = bibtexType(work);
  const publisherField = work.type === 'REPORT' ? 'institution' : work.type === 'DISSERTATION' ? 'school' : 'publisher';
  const date = isoDate(work);
  return [
    ['author', work.authors.length > 0 ? work.authors.map((author) => bibtexName(author.name)).join(' and ') : null],
    ['title', work.title ? bibtexTitle(work.title) : null],
    [venueField(type), work.venue ? escapeBibtex(work.venue) : null],
    ['volume', work.volume ? escapeBibtex(work.volume) : null],
    ['number', work.issue ? escapeBibtex(work.issue) : null],
    ['pages', work.pages ? bibtexPages(work.pages) : null],
    [publisherField, work.publisher ? escapeBibtex(work.publisher) : null],
    ['year', work.publicationYear === null ? null : String(work.publicationYear)],
    ['date', date],
    ['doi', work.doi ? verbatim(work.doi) : null],
    ['eprint', work.arxivId ? verbatim(work.arxivId) : null],
    ['archivePrefix', work.arxivId ? 'arXiv' : null],
    ['url', work.url ? verbatim(work.url) : null],
  ];
}

/** One BibTeX entry (biblatex reads its `date` and `@software`; BibTeX ignores them). */
export function toBibtex(work: ExportWork, key: string = citationKeyOf(work)): string {
  const fields = bibtexFields(work)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `  ${name} = {${value}}`);
  return `@${bibtexType(work)}{${key},\n${fields.join(',\n')}\n}\n`;
}

/** A .bib file: the works' entries with keys unique within it, separated by blank lines. */
export function toBibtexFile(works: ExportWork[]): string {
  const keys = uniqueCitationKeys(works);
  return works.map((work, index) => toBibtex(work, keys[index])).join('\n');
}

function cslName(name: string): Record<string, string> {
  const parts = splitName(name);
  if (!parts) return { literal: name };
  return parts.suffix ? { ...parts, suffix: parts.suffix } : { family: parts.family, given: parts.given };
}

function withoutEmpty(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null && value !== undefined));
}

function cslIssued(work: ExportWork): Record<string, unknown> | null {
  const date = isoDate(work);
  if (date) return { 'date-parts': [date.split('-').map(Number)] };
  return work.publicationYear === null ? null : { 'date-parts': [[work.publicationYear]] };
}

/** Identifiers CSL has no variable for, kept in its `custom` object. */
function cslCustom(work: ExportWork): Record<string, unknown> | null {
  const custom = withoutEmpty({ arxivId: work.arxivId, openalexId: work.openalexId, s2Id: work.s2Id });
  return Object.keys(custom).length > 0 ? custom : null;
}

/** A CSL-JSON item (CSL 1.0.2), the format Zotero, Pandoc and citeproc read. */
export function toCslJson(work: ExportWork, id: string = citationKeyOf(work)): Record<string, unknown> {
  return withoutEmpty({
    id,
    'citation-key': id,
    type: cslTypes[work.type ?? 'OTHER'],
    title: work.title,
    author: work.authors.length > 0 ? work.authors.map((author) => cslName(author.name)) : null,
    issued: cslIssued(work),
    'container-title': work.venue,
    volume: work.volume,
    issue: work.issue,
    page: work.pages,
    publisher: work.publisher,
    // Zotero keeps a preprint's archive id in `number` ("arXiv:1408.5093").
    number: work.type === 'PREPRINT' && work.arxivId ? `arXiv:${work.arxivId}` : null,
    DOI: work.doi,
    URL: work.url,
    custom: cslCustom(work),
  });
}

/** A CSL-JSON file's array, with ids unique within it. */
export function toCslJsonFile(works: ExportWork[]): Record<string, unknown>[] {
  const keys = uniqueCitationKeys(works);
  return works.map((work, index) => toCslJson(work, keys[index]));
}

function risName(name: string): string {
  const parts = splitName(name);
  if (!parts) return name;
  return [parts.family, parts.given, parts.suffix].filter((part) => part !== null).join(', ');
}

function risPages(pages: string | null): [string | null, string | null] {
  if (!pages) return [null, null];
  const [start, end] = pages.split(/\s*-\s*/);
  return [start ?? null, end ?? null];
}

/** RIS dates are YYYY/MM/DD/other, with the unknown parts left empty: "2020/05//". */
function risDate(date: string): string {
  const [year, month, day] = date.split('-');
  return [year, month ?? '', day ?? '', ''].join('/');
}

/** One RIS record, TY first and ER last, one tag per line. */
export function toRis(work: ExportWork, key: string = citationKeyOf(work)): string {
  const date = isoDate(work);
  const [startPage, endPage] = risPages(work.pages);
  const tags: [string, string | null][] = [
    ['TY', risTypes[work.type ?? 'OTHER']],
    ['ID', key],
    ['TI', work.title],
    ...work.authors.map((author): [string, string] => ['AU', risName(author.name)]),
    ['PY', work.publicationYear === null ? null : String(work.publicationYear)],
    ['DA', date ? risDate(date) : null],
    ['T2', work.venue],
    ['VL', work.volume],
    ['IS', work.issue],
    ['SP', startPage],
    ['EP', endPage],
    ['PB', work.publisher],
    ['DO', work.doi],
    ['UR', work.url],
  ];
  const lines = tags
    .filter((tag): tag is [string, string] => tag[1] !== null && tag[1] !== '')
    // A tag's value must stay on its line.
    .map(([tag, value]) => `${tag}  - ${value.replace(/\s+/g, ' ').trim()}`);
  return `${[...lines, 'ER  - '].join('\n')}\n`;
}

/** An RIS file: the works' records with ids unique within it, separated by blank lines. */
export function toRisFile(works: ExportWork[]): string {
  const keys = uniqueCitationKeys(works);
  return works.map((work, index) => toRis(work, keys[index])).join('\n');
}
