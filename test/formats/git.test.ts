import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHistoryError, gitActivity, gitRemoteUrl, repositoryUrlFromRemote } from '../../src/ingest/formats/git.js';

const scratch = mkdtempSync(join(tmpdir(), 'citegraph-git-'));

/** Git with no user or system configuration, so the machine's settings cannot change the history. */
function git(cwd: string, args: string[], env: Record<string, string> = {}, input?: Buffer): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_COMMITTER_NAME: 'Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      GIT_COMMITTER_DATE: '2020-01-01T00:00:00+0000',
      ...env,
    },
  }).trim();
}

function commitAs(repo: string, author: string, email: string, date: string, message: string): void {
  git(repo, ['add', '--all']);
  git(repo, ['commit', '--quiet', '--allow-empty', '-m', message], {
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
  });
}

/** A commit whose author name is Latin-1, not UTF-8, as old histories sometimes have. */
function commitWithLatin1Author(repo: string): void {
  const tree = git(repo, ['rev-parse', 'HEAD^{tree}']);
  const parent = git(repo, ['rev-parse', 'HEAD']);
  const object = Buffer.concat([
    Buffer.from(`tree ${tree}\nparent ${parent}\nauthor Jos`),
    Buffer.from([0xe9]),
    Buffer.from(
      ' <jose@example.es> 1391212800 +0000\ncommitter Committer <committer@example.com> 1391212800 +0000\n\nAccent\n',
    ),
  ]);
  const commit = git(repo, ['hash-object', '-t', 'commit', '-w', '--stdin'], {}, object);
  git(repo, ['update-ref', 'HEAD', commit]);
}

function buildHistory(repo: string): void {
  mkdirSync(repo);
  git(repo, ['init', '--quiet', '-b', 'main']);
  writeFileSync(join(repo, 'a.txt'), 'one\ntwo\nthree\n');
  // October in UTC, still September where the author was.
  commitAs(repo, 'Ada Lovelace', 'ada@Example.ORG', '2013-09-30T23:30:00-0700', 'Start');
  writeFileSync(join(repo, 'a.txt'), 'one\n2\nthree\nfour\n');
  // September in UTC, already October where the author was.
  commitAs(repo, 'Ada Lovelace', 'ada@example.org', '2013-10-01T01:00:00+0200', 'Edit');
  writeFileSync(join(repo, 'a.txt'), 'one\n2\nthree\nfour\nfive\n');
  commitAs(repo, 'Ada Lovelace', 'ada@example.org', '2013-10-20T12:00:00+0000', 'Append');
  writeFileSync(join(repo, 'engine.bin'), Buffer.from([0, 1, 2, 0, 255, 0]));
  writeFileSync(join(repo, 'c.txt'), 'x\ny\n');
  commitAs(repo, 'Ada Lovelace', 'ada@analytical.engine', '2013-10-21T12:00:00+0000', 'Binary');

  git(repo, ['checkout', '--quiet', '-b', 'side']);
  writeFileSync(join(repo, 'b.txt'), 'b\n');
  commitAs(repo, 'Charles Babbage', 'charles@cam.ac.uk', '2013-11-02T10:00:00+0000', 'Side');
  git(repo, ['checkout', '--quiet', 'main']);
  git(repo, ['merge', '--quiet', '--no-ff', '-m', 'Merge side', 'side'], {
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_AUTHOR_EMAIL: 'ada@example.org',
    GIT_AUTHOR_DATE: '2013-11-05T10:00:00+0000',
  });

  rmSync(join(repo, 'b.txt'));
  commitAs(repo, 'Nobody', 'nobody', '2014-01-01T00:00:00+0000', 'Remove');
  commitWithLatin1Author(repo);
  git(repo, ['remote', 'add', 'origin', 'git@github.com:BVLC/caffe.git']);
}

const repo = join(scratch, 'history');
beforeAll(() => buildHistory(repo));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('gitActivity', () => {
  it('aggregates non-merge commits per author name, e-mail domain and month in the author’s time zone', async () => {
    const result = await gitActivity(repo);
    expect(result.records).toEqual([
      {
        name: 'Ada Lovelace',
        emailDomain: 'example.org',
        month: '2013-09',
        commits: 1,
        linesAdded: 3,
        linesDeleted: 0,
      },
      {
        name: 'Ada Lovelace',
        emailDomain: 'analytical.engine',
        month: '2013-10',
        commits: 1,
        linesAdded: 2,
        linesDeleted: 0,
      },
      {
        name: 'Ada Lovelace',
        emailDomain: 'example.org',
        month: '2013-10',
        commits: 2,
        linesAdded: 3,
        linesDeleted: 1,
      },
      {
        name: 'Charles Babbage',
        emailDomain: 'cam.ac.uk',
        month: '2013-11',
        commits: 1,
        linesAdded: 1,
        linesDeleted: 0,
      },
      { name: 'Nobody', emailDomain: null, month: '2014-01', commits: 1, linesAdded: 0, linesDeleted: 1 },
      { name: 'Jos\uFFFD', emailDomain: 'example.es', month: '2014-02', commits: 1, linesAdded: 0, linesDeleted: 0 },
    ]);
    expect(result.commits).toBe(7);
    expect(result.branch).toBe('main');
    expect(result.head).toBe(git(repo, ['rev-parse', 'HEAD']));
  });

  it('reports progress after every commit', async () => {
    const counts: number[] = [];
    await gitActivity(repo, { onCommit: (count) => counts.push(count) });
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('gives no branch when HEAD is detached', async () => {
    const detached = join(scratch, 'detached');
    git(scratch, ['clone', '--quiet', repo, detached]);
    git(detached, ['checkout', '--quiet', '--detach', 'HEAD~1']);
    const result = await gitActivity(detached);
    expect(result.branch).toBeNull();
    expect(result.commits).toBe(6);
  });

  it('counts the whole history of this repository', async () => {
    const result = await gitActivity(process.cwd());
    const expected = Number(git(process.cwd(), ['rev-list', '--no-merges', '--count', result.head]));
    expect(result.commits).toBe(expected);
    expect(result.records.reduce((sum, record) => sum + record.commits, 0)).toBe(expected);
    for (const record of result.records) {
      expect(record.month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
      expect(record.linesAdded).toBeGreaterThanOrEqual(0);
      expect(record.linesDeleted).toBeGreaterThanOrEqual(0);
    }
  });

  it('stops when its signal is aborted', async () => {
    await expect(gitActivity(repo, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('gitActivity refuses', () => {
  async function failure(path: string): Promise<GitHistoryError> {
    const error = await gitActivity(path).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(GitHistoryError);
    expect((error as GitHistoryError).message).not.toContain('\n');
    return error as GitHistoryError;
  }

  it('a path that does not exist', async () => {
    const missing = join(scratch, 'missing');
    const error = await failure(missing);
    expect(error.problem).toBe('missing-path');
    expect(error.message).toBe(`${missing} does not exist`);
  });

  it('a directory that is not a git repository, with git’s reason', async () => {
    const plain = join(scratch, 'plain');
    mkdirSync(plain);
    const error = await failure(plain);
    expect(error.problem).toBe('not-a-repository');
    expect(error.message).toMatch(/^.*plain: fatal: not a git repository/);
  });

  it('a file', async () => {
    const error = await failure(join(repo, 'a.txt'));
    expect(error.problem).toBe('not-a-repository');
    expect(error.message).toMatch(/a\.txt is not a directory$/);
  });

  it('a repository without commits', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    git(empty, ['init', '--quiet']);
    const error = await failure(empty);
    expect(error.problem).toBe('empty-repository');
    expect(error.message).toBe(`${empty} has no commits`);
  });
});

describe('gitRemoteUrl', () => {
  it('gives the origin of a GitHub clone as its web address', async () => {
    expect(await gitRemoteUrl(repo)).toBe('https://github.com/BVLC/caffe');
  });

  it('gives null for a repository without origin', async () => {
    const lonely = join(scratch, 'lonely');
    mkdirSync(lonely);
    git(lonely, ['init', '--quiet']);
    expect(await gitRemoteUrl(lonely)).toBeNull();
  });
});

describe('repositoryUrlFromRemote', () => {
  it('turns every form of GitHub remote into https://github.com/owner/repo', () => {
    for (const remote of [
      'git@github.com:BVLC/caffe.git',
      'github.com:BVLC/caffe',
      'ssh://git@github.com/BVLC/caffe.git',
      'ssh://git@github.com:22/BVLC/caffe',
      'https://github.com/BVLC/caffe.git',
      'https://github.com/BVLC/caffe/',
      'https://user:secret@GitHub.com/BVLC/caffe',
      'git://github.com/BVLC/caffe.git',
    ]) {
      expect(repositoryUrlFromRemote(remote), remote).toBe('https://github.com/BVLC/caffe');
    }
  });

  it('keeps other remotes, without credentials', () => {
    expect(repositoryUrlFromRemote('https://user:secret@gitlab.com/group/project.git')).toBe(
      'https://gitlab.com/group/project.git',
    );
    expect(repositoryUrlFromRemote('git@gitlab.com:group/project.git')).toBe('git@gitlab.com:group/project.git');
  });

  it('gives null for local paths', () => {
    for (const remote of ['/srv/git/caffe.git', '../caffe', 'file:///srv/git/caffe.git']) {
      expect(repositoryUrlFromRemote(remote), remote).toBeNull();
    }
  });
});
