import type { ActivityRecord, Parsed } from '../records.js';
import { capName } from './common.js';

/**
 * Rows of framework_contributions_monthly.csv: one per repository, author name, e-mail domain
 * and month, derived from `git log --no-merges --numstat` (the same method as ./git.ts).
 */

/** The columns a contributions file must have; files_changed may also be present. */
export const CONTRIBUTIONS_COLUMNS = [
  'repo',
  'author_name',
  'author_email_domain',
  'year',
  'month',
  'commits',
  'lines_added',
  'lines_deleted',
] as const;

type Column = (typeof CONTRIBUTIONS_COLUMNS)[number];

export function contributionRow(row: Record<string, string>): Parsed<{ repo: string; activity: ActivityRecord }> {
  const missing = CONTRIBUTIONS_COLUMNS.find((column) => row[column] === undefined);
  if (missing) return { ok: false, reason: `missing column "${missing}"` };
  const fields = row as Record<Column, string>;
  // author_name may be empty: git lets a commit have an empty author name, and the file keeps it.

  const { repo, author_email_domain: domain, year, month } = fields;
  // GitHub owners have at most 39 characters, repository names at most 100.
  if (!/^[^/\s]{1,39}\/[^/\s]{1,100}$/.test(repo))
    return { ok: false, reason: `repo "${repo.slice(0, 200)}" is not owner/name` };
  if (!/^\d{4}$/.test(year)) return { ok: false, reason: `year "${year}" is not a four-digit year` };
  const monthNumber = /^\d{1,2}$/.test(month) ? Number(month) : 0;
  if (monthNumber < 1 || monthNumber > 12) return { ok: false, reason: `month "${month}" is not 1-12` };

  const commits = nonNegativeInteger(fields.commits);
  const linesAdded = nonNegativeInteger(fields.lines_added);
  const linesDeleted = nonNegativeInteger(fields.lines_deleted);
  if (commits === null) return notACount('commits', fields.commits);
  if (linesAdded === null) return notACount('lines_added', fields.lines_added);
  if (linesDeleted === null) return notACount('lines_deleted', fields.lines_deleted);
  // Not part of the activity, but a malformed value means the row is not what it claims to be.
  const filesChanged = row.files_changed;
  if (filesChanged && nonNegativeInteger(filesChanged) === null) return notACount('files_changed', filesChanged);

  const warnings: string[] = [];
  const name = capName(fields.author_name, 'author_name', warnings);
  return {
    ok: true,
    value: {
      repo,
      activity: {
        name,
        emailDomain: domain === '' ? null : domain.toLowerCase(),
        month: `${year}-${String(monthNumber).padStart(2, '0')}`,
        commits,
        linesAdded,
        linesDeleted,
      },
    },
    ...(warnings.length ? { warnings } : {}),
  };
}

/** A count for the database's 32-bit columns: a larger one is no real month's count. */
function nonNegativeInteger(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value <= 2_147_483_647 ? value : null;
}

function notACount(column: string, text: string): { ok: false; reason: string } {
  return { ok: false, reason: `${column} "${text}" is not a non-negative integer` };
}

/** The project a repository's rows belong to: its name, lower-cased ("BVLC/caffe" -> "caffe"). */
export function projectSlugForRepo(repo: string): string {
  return (repo.split('/').pop() ?? repo).toLowerCase();
}

export function repositoryUrlForRepo(repo: string): string {
  return `https://github.com/${repo}`;
}
