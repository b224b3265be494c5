/** Normalized identifiers, so the same work or person from two sources matches. */

const doiPrefix = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i;

/** Longer text is no DOI (real ones stay far below); it must also fit a unique index entry. */
const MAX_DOI_LENGTH = 500;

/**
 * "https://doi.org/10.1145/ABC" -> "10.1145/abc"; null when the text is no DOI. DOIs are
 * case-insensitive for ASCII letters only, so "10.1000/Å" and "10.1000/å" stay two DOIs.
 */
export function normalizeDoi(text: string | null | undefined): string | null {
  if (!text) return null;
  const doi = text
    .trim()
    .replace(doiPrefix, '')
    .trim()
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return doi.length <= MAX_DOI_LENGTH && /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : null;
}

/** Latin letters that accent stripping leaves alone, folded to their plain forms. */
const latinFolds: Record<string, string> = { ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };

/**
 * The key for title and name matching: lower-case letters and digits with accents removed
 * and punctuation and spaces dropped. "Martı́n Abadi" and "Martin Abadi" share one key;
 * letters of other scripts (贾扬清) are kept as they are.
 */
export function matchKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ıłøđßæœþ]/g, (letter) => latinFolds[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Title keys are cut to this many characters (at most 1,024 bytes), so that a title of any
 * length fits the (title_key, publication_year) index; titles that agree this far match.
 */
export const TITLE_KEY_LENGTH = 256;

/** The match key of a title, cut to TITLE_KEY_LENGTH characters (whole code points). */
export function titleKey(title: string): string {
  const key = matchKey(title);
  if (key.length <= TITLE_KEY_LENGTH) return key;
  return Array.from(key).slice(0, TITLE_KEY_LENGTH).join('');
}

/**
 * "https://openalex.org/W2963374479" or "w2963374479" -> "W2963374479"; null when the text is
 * no OpenAlex id of that kind (W works, A authors, I institutions, S sources).
 */
export function shortOpenalexId(text: string | null | undefined, kind: 'W' | 'A' | 'I' | 'S'): string | null {
  if (!text) return null;
  const match = /^(?:https?:\/\/openalex\.org\/)?([WAIS])(\d{1,15})$/i.exec(text.trim());
  return match?.[1]?.toUpperCase() === kind ? `${kind}${match[2]}` : null;
}

/**
 * "https://orcid.org/0000-0002-1825-0097" -> "0000-0002-1825-0097"; null when the text is no
 * ORCID iD or its check digit (ISO 7064 MOD 11-2) is wrong.
 */
export function normalizeOrcid(text: string | null | undefined): string | null {
  if (!text) return null;
  const match = /^(?:https?:\/\/(?:www\.)?orcid\.org\/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$/i.exec(text.trim());
  if (!match) return null;
  const digits = match.slice(1).join('').toUpperCase();
  return orcidCheckDigit(digits.slice(0, 15)) === digits[15] ? match.slice(1).join('-').toUpperCase() : null;
}

function orcidCheckDigit(base: string): string {
  let total = 0;
  for (const digit of base) total = (total + Number(digit)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

const arxivPrefix =
  /^(?:arxiv:|https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/|(?:https?:\/\/(?:dx\.)?doi\.org\/)?10\.48550\/arxiv\.)/i;

/**
 * An arXiv identifier without its version: "arXiv:1408.5093v2", "https://arxiv.org/pdf/1408.5093.pdf",
 * "10.48550/arXiv.1408.5093" -> "1408.5093"; "cond-mat/9701055v1" -> "cond-mat/9701055". An old
 * style subject class is no part of the identifier ("math.GT/0309136" -> "math/0309136").
 * Null when the text names no arXiv paper.
 */
export function normalizeArxivId(text: string | null | undefined): string | null {
  if (!text) return null;
  const rest = text.trim().replace(arxivPrefix, '');
  const match = /^(?:(\d{4}\.\d{4,5})|([a-z-]{2,16})(?:\.[a-z]{2})?(\/\d{7}))(?:v\d+)?(?:\.pdf)?\/?$/i.exec(rest);
  if (!match) return null;
  return match[1] ?? `${match[2]?.toLowerCase()}${match[3]}`;
}
