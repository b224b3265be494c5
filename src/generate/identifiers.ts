/**
 * Identifiers of generated records. They are well-formed (check digits included) but chosen
 * where real ones are not issued, so a generated dataset loaded next to real data never
 * claims a real work, person or institution.
 */

/**
 * OpenAlex ids from 9500000000 on, far above the ones OpenAlex has issued (W4…, A5…). Written
 * as "9" and 500000000 + index: numbers past 2^31 are several times slower to turn into text.
 */
const openalexId = (kind: string, index: number) => `https://openalex.org/${kind}9${500_000_000 + index}`;

export const workId = (index: number) => openalexId('W', index);
export const authorId = (index: number) => openalexId('A', index);
export const institutionId = (index: number) => openalexId('I', index);
export const sourceId = (index: number) => openalexId('S', index);

/** Crossref's prefix for test DOIs. */
export const DOI_PREFIX = '10.5555';

/**
 * ORCID iDs of the block 0000-0000-…, below the ranges ORCID issues (0000-0001-5000-0007 on);
 * seven free digits, so at most ten million people.
 */
export const ORCID_CAPACITY = 10_000_000;

export function orcidFor(person: number): string {
  // 7_654_321 is coprime with 10^7, so distinct people get distinct digits.
  const digits = `00000000${String((person * 7_654_321 + 1_234_567) % ORCID_CAPACITY).padStart(7, '0')}`;
  const id = `${digits}${orcidCheckDigit(digits)}`;
  return `https://orcid.org/${id.slice(0, 4)}-${id.slice(4, 8)}-${id.slice(8, 12)}-${id.slice(12)}`;
}

/** ISO 7064 MOD 11-2, as ORCID computes it. */
function orcidCheckDigit(base: string): string {
  let total = 0;
  for (const digit of base) total = (total + Number(digit)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A ROR id: "0", six Crockford base-32 digits and two ISO 7064 MOD 97-10 check digits. */
export function rorFor(institution: number): string {
  // An odd multiplier modulo 2^30 (the six digits' range) keeps the ids distinct.
  const value = (Math.imul(institution + 1, 0x2f0b3e5) >>> 0) % 2 ** 30;
  let digits = '';
  for (let shift = 25; shift >= 0; shift -= 5) digits += CROCKFORD[(value >>> shift) & 31];
  const check = 98 - ((value * 100) % 97);
  return `https://ror.org/0${digits}${String(check).padStart(2, '0')}`;
}

/** An ISSN-L with its check digit (weights 8…2, modulo 11). */
export function issnFor(source: number): string {
  // 7_919 is coprime with 10^7, so distinct sources get distinct ISSNs.
  const digits = String((1_000_000 + source * 7_919) % 10_000_000).padStart(7, '0');
  let total = 0;
  for (let index = 0; index < 7; index += 1) total += Number(digits[index]) * (8 - index);
  const check = (11 - (total % 11)) % 11;
  return `${digits.slice(0, 4)}-${digits.slice(4)}${check === 10 ? 'X' : check}`;
}
