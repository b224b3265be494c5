/** Normalized identifiers, so the same work or person from two sources matches. */

const doiPrefix = /^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i;

/** "https://doi.org/10.1145/ABC" -> "10.1145/abc"; null when the text is no DOI. */
export function normalizeDoi(text: string | null | undefined): string | null {
  if (!text) return null;
  const doi = text.trim().replace(doiPrefix, '').trim().toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : null;
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
