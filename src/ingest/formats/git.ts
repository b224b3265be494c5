import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ActivityRecord } from '../records.js';
import { capName } from './common.js';

/**
 * A clone's history as monthly activity per author, by the method of the git-contributions data:
 * `git log --no-merges --no-use-mailmap --numstat`, author name and e-mail domain as recorded, the
 * month in the author's own time zone, binary files counting 0 lines.
 */

export type GitHistoryProblem =
  | 'missing-path'
  | 'not-a-repository'
  | 'empty-repository'
  | 'git-unavailable'
  | 'git-failed';

/** Why a clone's history could not be read; the message is one line fit to show as is. */
export class GitHistoryError extends Error {
  constructor(
    readonly problem: GitHistoryProblem,
    message: string,
  ) {
    super(message);
    this.name = 'GitHistoryError';
  }
}

export interface GitActivity {
  /** Sorted by month, then name, then e-mail domain. */
  records: ActivityRecord[];
  /** Non-merge commits read. */
  commits: number;
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  /** The commit HEAD points at (40 hex digits). */
  head: string;
}

export interface GitActivityOptions {
  signal?: AbortSignal;
  /** Called after each commit with the number read so far. */
  onCommit?: (count: number) => void;
}

const COMMIT_MARK = '\x1e';
const FIELD_SEPARATOR = '\x1f';

export async function gitActivity(clonePath: string, options: GitActivityOptions = {}): Promise<GitActivity> {
  await requireDirectory(clonePath);
  const head = await headCommit(clonePath);
  const branch = await checkedOutBranch(clonePath);

  const activity = new Map<string, ActivityRecord>();
  let current: ActivityRecord | null = null;
  let commits = 0;
  const log = streamGitLog(clonePath, head, options.signal);
  for await (const line of log.lines) {
    if (line.startsWith(COMMIT_MARK)) {
      const commit = commitLine(line);
      current = monthOf(activity, commit);
      current.commits += 1;
      commits += 1;
      options.onCommit?.(commits);
    } else if (line !== '') {
      const change = numstatLine(line);
      if (!current || !change) throw new GitHistoryError('git-failed', `unexpected git log line: ${line}`);
      current.linesAdded += change.added;
      current.linesDeleted += change.deleted;
    }
  }
  await log.finished;
  return { records: [...activity.values()].sort(byMonthNameDomain), commits, branch, head };
}

interface CommitLine {
  name: string;
  emailDomain: string | null;
  month: string;
}

/** "\x1e<hash>\x1f<name>\x1f<email>\x1f<YYYY-MM>"; the name is taken whole should it hold a separator. */
function commitLine(line: string): CommitLine {
  const fields = line.slice(COMMIT_MARK.length).split(FIELD_SEPARATOR);
  const month = fields.at(-1) ?? '';
  const email = fields.at(-2) ?? '';
  if (fields.length < 4 || !/^\d{4}-\d{2}$/.test(month)) {
    throw new GitHistoryError('git-failed', `unexpected git log line: ${line.slice(COMMIT_MARK.length)}`);
  }
  // Cut to fit the name indexes like any imported name; a history has no per-record warnings to say so.
  const name = capName(fields.slice(1, -2).join(FIELD_SEPARATOR), 'author name', []);
  return { name, emailDomain: emailDomain(email), month };
}

/** The part after the last "@", lower-cased; null when there is none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  const domain =
    at === -1
      ? ''
      : email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  return domain === '' ? null : domain;
}

/** "12\t3\tpath" -> 12 added, 3 deleted; binary files ("-\t-\tpath") count 0. Null for other lines. */
function numstatLine(line: string): { added: number; deleted: number } | null {
  const match = /^(\d+|-)\t(\d+|-)\t/.exec(line);
  if (!match) return null;
  const count = (text: string | undefined) => (text === undefined || text === '-' ? 0 : Number(text));
  return { added: count(match[1]), deleted: count(match[2]) };
}

function monthOf(activity: Map<string, ActivityRecord>, commit: CommitLine): ActivityRecord {
  const key = JSON.stringify([commit.name, commit.emailDomain, commit.month]);
  let record = activity.get(key);
  if (!record) {
    record = { ...commit, commits: 0, linesAdded: 0, linesDeleted: 0 };
    activity.set(key, record);
  }
  return record;
}

function byMonthNameDomain(a: ActivityRecord, b: ActivityRecord): number {
  return compare(a.month, b.month) || compare(a.name, b.name) || compare(a.emailDomain ?? '', b.emailDomain ?? '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function requireDirectory(clonePath: string): Promise<void> {
  const entry = await stat(clonePath).catch(() => null);
  if (!entry) throw new GitHistoryError('missing-path', `${clonePath} does not exist`);
  if (!entry.isDirectory()) throw new GitHistoryError('not-a-repository', `${clonePath} is not a directory`);
}

async function headCommit(clonePath: string): Promise<string> {
  const result = await gitOutput(clonePath, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (result.code === 0) return result.stdout.trim();
  // --quiet: an unborn HEAD exits 1 silently; anything else (not a repository, unsafe owner) speaks.
  if (result.code === 1 && result.stderr.trim() === '') {
    throw new GitHistoryError('empty-repository', `${clonePath} has no commits`);
  }
  const problem = /not a git repository/i.test(result.stderr) ? 'not-a-repository' : 'git-failed';
  throw new GitHistoryError(problem, `${clonePath}: ${firstLine(result.stderr)}`);
}

async function checkedOutBranch(clonePath: string): Promise<string | null> {
  const result = await gitOutput(clonePath, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.code === 0 ? result.stdout.trim() : null;
}

/**
 * The origin remote as a web address: GitHub remotes in any form become
 * https://github.com/owner/repo; other URLs are kept without credentials; null when there is no
 * origin or it is a local path.
 */
export async function gitRemoteUrl(clonePath: string): Promise<string | null> {
  const result = await gitOutput(clonePath, ['config', '--get', 'remote.origin.url']);
  return result.code === 0 ? repositoryUrlFromRemote(result.stdout.trim()) : null;
}

export function repositoryUrlFromRemote(remote: string): string | null {
  const scpLike = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(remote);
  if (scpLike) {
    const [, host = '', path = ''] = scpLike;
    return githubUrl(host, path) ?? remote;
  }
  const url = URL.canParse(remote) ? new URL(remote) : null;
  if (!url || !['http:', 'https:', 'ssh:', 'git:'].includes(url.protocol)) return null;
  const github = githubUrl(url.hostname, url.pathname);
  if (github) return github;
  url.username = '';
  url.password = '';
  return url.toString();
}

function githubUrl(host: string, path: string): string | null {
  if (host.toLowerCase() !== 'github.com') return null;
  const match = /^\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(path);
  return match ? `https://github.com/${match[1]}/${match[2]}` : null;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

interface GitLog {
  lines: AsyncGenerator<string>;
  /** Settles once git has exited: rejects when it failed. */
  finished: Promise<void>;
}

/** Runs git log from `head`, handing its output over line by line as it comes. */
function streamGitLog(clonePath: string, head: string, signal?: AbortSignal): GitLog {
  const args = [
    // Pinned so that user configuration cannot change what is counted or add lines to parse.
    '-c',
    'diff.renames=true',
    '-c',
    'log.showSignature=false',
    'log',
    '--no-merges',
    '--no-use-mailmap',
    '--no-color',
    '--numstat',
    '--date=format:%Y-%m',
    `--format=${COMMIT_MARK}%H${FIELD_SEPARATOR}%an${FIELD_SEPARATOR}%ae${FIELD_SEPARATOR}%ad`,
    head,
    '--',
  ];
  const child = spawn('git', ['-C', clonePath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal });
  const stderr = collect(child.stderr);
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const finished = exit.then(
    async (code) => {
      if (code !== 0) throw new GitHistoryError('git-failed', `git log failed: ${firstLine(await stderr)}`);
    },
    (error: unknown) => {
      throw gitStartError(error);
    },
  );
  // Surfaced by `await finished`; until then, a failure to start must not count as unhandled.
  finished.catch(() => {});
  async function* lines(): AsyncGenerator<string> {
    try {
      yield* splitLines(child.stdout);
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }
  return { lines: lines(), finished };
}

async function gitOutput(
  clonePath: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('git', ['-C', clonePath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [stdout, stderr, code] = await Promise.all([
    collect(child.stdout),
    collect(child.stderr),
    new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    }),
  ]).catch((error: unknown) => {
    throw gitStartError(error);
  });
  return { code, stdout, stderr };
}

function gitStartError(error: unknown): unknown {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
    return new GitHistoryError('git-unavailable', 'git was not found on PATH');
  }
  return error;
}

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Lines split at "\n" bytes only (a name may hold a carriage return), each decoded as UTF-8:
 * bytes that are not UTF-8 become U+FFFD rather than failing the import.
 */
async function* splitLines(stream: Readable): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const data = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    let start = 0;
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
      yield data.toString('utf8', start, end);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length > 0) yield rest.toString('utf8');
}
