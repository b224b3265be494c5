import type { ContributionRole, WorkType } from '../generated/prisma/client.js';

/**
 * The source-neutral records every importer produces. A format module turns one input record
 * (a JSON line, a BibTeX entry, a CSV row) into these; src/ingest/writer.ts resolves identities
 * and writes them in batches. Absent (undefined or null) fields mean "this source says
 * nothing", never "clear the stored value".
 */

/** Identifiers of a work, already normalized (see src/services/identifiers.ts). */
export interface WorkIds {
  /** "10.1145/2647868.2654889": no resolver prefix, ASCII lower case. */
  doi?: string | null;
  /** "W2963374479": the short form. */
  openalexId?: string | null;
  /** Semantic Scholar paperId (40 hex digits). */
  s2Id?: string | null;
  /** Semantic Scholar corpusId; edge files sometimes name a paper only as "CorpusID:n". */
  s2CorpusId?: number | null;
  /** "1408.5093" or "cs/0101001", without version suffix. */
  arxivId?: string | null;
}

export interface AuthorRecord {
  /** The name as the source prints it ("Yangqing Jia", "Jia, Yangqing" already turned round). */
  name: string;
  /** "0000-0002-1825-0097": the 16 characters, no URL. */
  orcid?: string | null;
  /** "A5023888391": the short form. */
  openalexId?: string | null;
  s2Id?: string | null;
  /** The affiliation as printed on this work. */
  affiliation?: string | null;
  /** The institutions the source matched the author to on this work. */
  institutions?: InstitutionRecord[] | null;
}

/** An institution as a source names it; one of the two ids is needed for it to become an organization. */
export interface InstitutionRecord {
  name: string;
  /** "I136199984": the short form. */
  openalexId?: string | null;
  /** "00f54p054": the nine characters of a ROR id, no URL. */
  ror?: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string | null;
}

/** A citation total as a source reported it on a date, with per-year figures where given. */
export interface ReportedRecord {
  total: number;
  /** YYYY-MM-DD: the day the source's figure was current (e.g. OpenAlex updated_date). */
  retrievedOn: string;
  years?: { year: number; count: number }[] | null;
}

/** Bibliographic details kept for export; all optional. */
export interface BiblioRecord {
  volume?: string | null;
  issue?: string | null;
  pages?: string | null;
  publisher?: string | null;
  url?: string | null;
  /** The citation key the user's own bibliography gave the work (BibTeX key, CSL id). */
  citationKey?: string | null;
}

export interface WorkRecord {
  ids: WorkIds;
  title?: string | null;
  publicationYear?: number | null;
  /** YYYY-MM-DD; for a date known to the month only, the month's first day. */
  publicationDate?: string | null;
  /**
   * How much of publicationDate the source gave: DAY (a full date), MONTH (year and month, the
   * date being the month's first day). A year alone stays publicationYear with no date, so no
   * format produces YEAR today.
   */
  publicationDatePrecision?: 'DAY' | 'MONTH' | 'YEAR' | null;
  type?: WorkType | null;
  venue?: string | null;
  biblio?: BiblioRecord | null;
  /** In author order. Undefined or null: the source lists no authors. */
  authors?: AuthorRecord[] | null;
  reported?: ReportedRecord | null;
  /** Works this work cites. A reference that matches no stored work becomes a minimal work. */
  references?: WorkIds[] | null;
  /** Which record of the input this is, for reported counts' provenance: e.g. "W2963374479". */
  recordKey: string;
}

/** A citing -> cited pair from an edge file (Semantic Scholar citations, Crossref references). */
export interface CitationRecord {
  citing: WorkIds;
  cited: WorkIds;
}

/** A person's activity in a project's history in one month. */
export interface ActivityRecord {
  /** The author name as recorded in the history. */
  name: string;
  /** The part of the author e-mail after "@", where known. */
  emailDomain?: string | null;
  /** YYYY-MM */
  month: string;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
}

/** A software project as a CITATION.cff describes it. */
export interface ProjectRecord {
  name: string;
  description?: string | null;
  repositoryUrl?: string | null;
  /** YYYY-MM-DD: date-released. */
  releasedOn?: string | null;
  version?: string | null;
  /** The software's authors, in order. */
  authors: AuthorRecord[];
  /** The role the authors are given (CFF authors are the software's creators). */
  authorRole: ContributionRole;
  /** The work the project asks to be cited for it, and the software record itself. */
  preferredCitation?: WorkRecord | null;
  software?: WorkRecord | null;
}

/**
 * Why a record failed, for machines (README.md, "Bad input", lists them): the record was longer
 * than the record size cap, a gzip inflated past its cap, a line was not UTF-8, a record did not
 * parse or lacked what its format requires, or the input could not be read on.
 */
export type ProblemCode =
  | 'RECORD_TOO_LARGE'
  | 'DECOMPRESSED_SIZE_EXCEEDED'
  | 'NOT_UTF8'
  | 'INVALID_RECORD'
  | 'INPUT_UNREADABLE';

/** Why one input record was not imported, or was imported after a repair. */
export interface RecordProblem {
  file: string;
  /** 1-based line where the record starts. */
  line: number;
  /** Set for failures; repairs and warnings carry none. */
  code?: ProblemCode;
  reason: string;
}

/**
 * What a format module returns for one input record: the record, or the reason it is unusable.
 * `warnings` are repairs made to a usable record (e.g. NUL characters removed).
 */
export type Parsed<T> = { ok: true; value: T; warnings?: string[] } | { ok: false; reason: string };
