import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands.js';
import type { Db } from '../src/db.js';
import { cli, counts, emptyDatabase, fixture, freshPostgresUrl, onPostgres } from './ingest-kit.js';

/** The citegraph command line: help and usage errors, the bin script, import summaries, exports, identity fixes. */

const root = fileURLToPath(new URL('..', import.meta.url));
const frameworks = fixture('bibtex/frameworks.bib');
const d2l = fixture('bibtex/d2l.bib');
const CAFFE = 'Caffe: Convolutional Architecture for Fast Feature Embedding';
const THEANO = 'Theano: A Python framework for fast computation of mathematical expressions';
const TENSORFLOW = 'TensorFlow: Large-Scale Machine Learning on Heterogeneous Systems';
const GOING_DEEPER = 'Going deeper with convolutions';

let db: Db;
let dir: string;

beforeAll(async () => {
  db = await emptyDatabase('cli');
  dir = await mkdtemp(join(tmpdir(), 'citegraph-cli-'));
});

afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Empties every table, for a describe block that starts from nothing. */
async function reset() {
  await db.prisma.$executeRawUnsafe(
    `TRUNCATE identity_event, work_project, project_activity, contribution, affiliation, person_reported_metric,
       authorship, reported_yearly_count, work_yearly_count, reported_count, citation, work, person, organization,
       project, import_run RESTART IDENTITY CASCADE`,
  );
}

/** The titles of the records of a RIS file, in order. */
const risTitles = (ris: string) => [...ris.matchAll(/^TI {2}- (.*)$/gm)].map((match) => match[1]);

function run(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/citegraph.mjs', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('help and usage errors', () => {
  it('prints the overview with every command for citegraph --help and exits 0', async () => {
    const { code, stdout, stderr } = await cli(db, ['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: citegraph <command>');
    for (const command of commands) expect(stdout).toContain(command.name);
  });

  it.each(commands.map((command) => [command.name]))(
    'prints the usage of citegraph %s --help and exits 0',
    async (name) => {
      const { code, stdout, stderr } = await cli(db, [...name.split(' '), '--help']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('Usage:');
      expect(stdout).toContain(`citegraph ${name}`);
    },
  );

  it('prints the version of package.json for citegraph --version', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const { code, stdout, stderr } = await cli(db, [flag]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe(`citegraph ${version}\n`);
    }
  });

  it('exits 2 for an unknown command, with the overview on stderr', async () => {
    const { code, stdout, stderr } = await cli(db, ['frobnicate', 'works']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Unknown command: frobnicate works');
    expect(stderr).toContain('Usage: citegraph <command>');
  });

  it('finds the command when options come between its words', async () => {
    const { code, summary } = await cli(db, ['import', '--max-errors', '10', 'bibtex', frameworks, '--json']);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ format: 'bibtex', read: 3 });
  });

  it("exits 2 for an unknown option, with the command's usage on stderr", async () => {
    const { code, stdout, stderr } = await cli(db, ['import', 'openalex', frameworks, '--frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Unknown option '--frobnicate'");
    expect(stderr).toContain('Usage: citegraph import openalex');
  });

  it('exits 2 for an option value that is not valid, before touching the input', async () => {
    const { code, stderr } = await cli(db, ['import', 'openalex', frameworks, '--batch-size', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('--batch-size 0 is not valid');
  });
});

describe('bin/citegraph.mjs', () => {
  it('prints the overview as users run it, listing the commands', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: citegraph <command>');
    expect(stdout).toContain('import openalex');
    expect(stdout).toContain('export');
  });

  if (onPostgres()) {
    describe('on a fresh PostgreSQL database', () => {
      it('exits 1 with a one-line message naming a missing input file', async () => {
        const url = await freshPostgresUrl('cli_bin');
        const missing = join(dir, 'no-such-works.jsonl');
        const { code, stdout, stderr } = await run(['import', 'openalex', missing], {
          ...process.env,
          DATABASE_URL: url,
        });
        expect(code).toBe(1);
        expect(stdout).toBe('');
        expect(stderr).toBe(`citegraph import openalex: ${missing}: no such file or folder\n`);
      });
    });
  }
});

describe('import summaries', () => {
  beforeAll(reset);

  it('prints the --json summary on stdout with the documented keys', async () => {
    const { code, stdout, stderr, summary } = await cli(db, ['import', 'bibtex', frameworks, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(summary);
    for (const key of [
      'format',
      'input',
      'status',
      'read',
      'inserted',
      'updated',
      'unchanged',
      'merged',
      'skipped',
      'failed',
      'problems',
      'seconds',
      'recordsPerSecond',
      'peakMemoryMiB',
    ])
      expect(summary).toHaveProperty(key);
    expect(summary).toMatchObject({
      format: 'bibtex',
      input: frameworks,
      status: 'finished',
      read: 3,
      inserted: 3,
      failed: 0,
      problems: [],
    });
    for (const key of ['seconds', 'recordsPerSecond', 'peakMemoryMiB'] as const)
      expect(typeof summary[key]).toBe('number');
  });

  it('prints the human summary on stderr, with the read and inserted counts', async () => {
    await reset();
    const { code, stdout, stderr } = await cli(db, ['import', 'bibtex', frameworks]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`bibtex import of ${frameworks}: finished`);
    expect(stderr).toMatch(/read 3 · inserted 3 · updated 0 · unchanged 0/);
  });
});

describe('export', () => {
  beforeAll(async () => {
    await reset();
    const { code } = await cli(db, ['import', 'bibtex', frameworks]);
    expect(code).toBe(0);
  });

  it('writes BibTeX with the imported citation keys and titles', async () => {
    const { code, stdout } = await cli(db, ['export', 'bibtex']);
    expect(code).toBe(0);
    expect(stdout).toContain('@article{jia2014caffe,');
    expect(stdout).toContain(`title = {${CAFFE}}`);
    expect(stdout.match(/^@\w+\{/gm)).toHaveLength(3);
  });

  it('writes CSL-JSON as an array of items with title, author and issued', async () => {
    const { code, stdout } = await cli(db, ['export', 'csl']);
    expect(code).toBe(0);
    const items = JSON.parse(stdout) as Record<string, unknown>[];
    expect(Array.isArray(items)).toBe(true);
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(typeof item.title).toBe('string');
      expect(item.author).toEqual(expect.arrayContaining([expect.objectContaining({ family: expect.any(String) })]));
      // A year, with the month and day where the bibliography gave them.
      const [parts] = (item.issued as { 'date-parts': number[][] })['date-parts'];
      expect(parts?.length).toBeGreaterThanOrEqual(1);
      expect(parts?.length).toBeLessThanOrEqual(3);
      expect(parts?.every(Number.isInteger)).toBe(true);
    }
    expect(items.find((item) => item.id === 'jia2014caffe')?.title).toBe(CAFFE);
  });

  it('writes RIS records that open with TY and close with ER', async () => {
    const { code, stdout } = await cli(db, ['export', 'ris']);
    expect(code).toBe(0);
    const records = stdout.split(/\n\s*\n/).filter((record) => record.trim() !== '');
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.trimStart()).toMatch(/^TY {2}- \w+/);
      expect(record.trimEnd()).toMatch(/ER {2}-$/);
    }
    expect(risTitles(stdout).sort()).toEqual([CAFFE, TENSORFLOW, THEANO].sort());
  });

  it('writes the export to --output instead of stdout', async () => {
    const output = join(dir, 'works.bib');
    const { code, stdout, stderr } = await cli(db, ['export', 'bibtex', '--output', output]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const text = await readFile(output, 'utf8');
    expect(text).toBe((await cli(db, ['export', 'bibtex'])).stdout);
    // What it wrote, and where: the count is the file's entries.
    expect(stderr).toBe(`Wrote ${text.match(/^@\w+\{/gm)?.length} works as bibtex to ${output}\n`);
    const json = join(dir, 'works.json');
    const csl = await cli(db, ['export', 'csl', '-o', json]);
    expect(csl.stderr).toBe(`Wrote ${JSON.parse(await readFile(json, 'utf8')).length} works as csl to ${json}\n`);
  });

  it('exports only the works of --person, named or by id', async () => {
    const byName = await cli(db, ['export', 'ris', '--person', 'Evan Shelhamer']);
    expect(byName.code).toBe(0);
    expect(risTitles(byName.stdout)).toEqual([CAFFE]);

    const theanoAuthor = await db.prisma.person.findFirstOrThrow({ where: { name: 'Rami Al-Rfou' } });
    const byId = await cli(db, ['export', 'ris', '--person', String(theanoAuthor.id)]);
    expect(byId.code).toBe(0);
    expect(risTitles(byId.stdout)).toEqual([THEANO]);
  });

  it('exports only the works a GraphQL query returns', async () => {
    const query = join(dir, 'since-2016.graphql');
    await writeFile(query, 'query ($year: Int) { works(filter: { yearFrom: $year }) { nodes { id title } } }');
    const filtered = await cli(db, ['export', 'ris', '--query', query, '--variables', '{"year": 2016}']);
    expect(filtered.code).toBe(0);
    expect(risTitles(filtered.stdout)).toEqual([THEANO]);

    const firstTwo = join(dir, 'first-two.graphql');
    await writeFile(firstTwo, '{ works(first: 2) { nodes { id title } } }');
    const { code, stdout } = await cli(db, ['export', 'ris', '--query', firstTwo]);
    expect(code).toBe(0);
    expect(risTitles(stdout)).toHaveLength(2);
  });

  it('exits 2 when given two selections', async () => {
    const query = join(dir, 'all.graphql');
    await writeFile(query, '{ works(first: 5) { nodes { id title } } }');
    const { code, stdout, stderr } = await cli(db, [
      'export',
      'bibtex',
      '--person',
      'Evan Shelhamer',
      '--query',
      query,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Give at most one of --person, --project and --query.');
  });

  // Runs last in this block: the CITATION.cff adds the software work.
  it('exports only the works linked to --project', async () => {
    const imported = await cli(db, ['import', 'cff', fixture('cff/caffe/CITATION.cff'), '--project', 'caffe']);
    expect(imported.code).toBe(0);
    const { code, stdout } = await cli(db, ['export', 'ris', '--project', 'caffe']);
    expect(code).toBe(0);
    expect(risTitles(stdout).sort()).toEqual(['Caffe', CAFFE].sort());
    expect(stdout).not.toContain(THEANO);
  });
});

describe('people merge and people split', () => {
  let kept: number;
  let other: number;
  let caffeWork: number;
  let splitOff: number;

  const yangqingJias = () =>
    db.prisma.person.findMany({
      where: { name: 'Yangqing Jia' },
      orderBy: { id: 'asc' },
      select: {
        id: true,
        authorships: { select: { work: { select: { id: true, title: true } } }, orderBy: { workId: 'asc' } },
        identityEvents: { select: { reason: true, detail: true } },
      },
    });

  beforeAll(async () => {
    await reset();
    for (const file of [frameworks, d2l]) expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
  });

  it('finds two people named Yangqing Jia, the Caffe paper sharing no co-author with his other works', async () => {
    const people = await yangqingJias();
    expect(people).toHaveLength(2);
    const [first, second] = people;
    expect(first?.authorships.map((authorship) => authorship.work.title)).toEqual([CAFFE]);
    expect(second?.authorships.map((authorship) => authorship.work.title)).toEqual([TENSORFLOW, GOING_DEEPER]);
    kept = first?.id ?? 0;
    other = second?.id ?? 0;
    caffeWork = first?.authorships[0]?.work.id ?? 0;
  });

  it('refuses to export --person "Yangqing Jia" while the name is ambiguous, listing both ids', async () => {
    const { code, stdout, stderr } = await cli(db, ['export', 'ris', '--person', 'Yangqing Jia']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('2 people match "Yangqing Jia"; give one of their ids:\n');
    // Each candidate on a line of its own: id, name, sources and what they hold.
    expect(stderr).toMatch(new RegExp(`^  ${kept}  Yangqing Jia  \\(bibtex; 1 works, 0 project roles\\)$`, 'm'));
    expect(stderr).toMatch(new RegExp(`^  ${other}  Yangqing Jia  \\(bibtex; \\d+ works, 0 project roles\\)$`, 'm'));
  });

  it('merges the two, recording a MANUAL_MERGE on the person kept', async () => {
    const before = await db.prisma.person.count();
    const { code, stdout } = await cli(db, ['people', 'merge', String(kept), String(other)]);
    expect(code).toBe(0);
    expect(stdout).toBe(`person ${other} (Yangqing Jia) merged into person ${kept} (Yangqing Jia)\n`);
    expect(await db.prisma.person.count()).toBe(before - 1);
    const people = await yangqingJias();
    expect(people.map((person) => person.id)).toEqual([kept]);
    expect(people[0]?.authorships.map((authorship) => authorship.work.title)).toEqual([
      CAFFE,
      TENSORFLOW,
      GOING_DEEPER,
    ]);
    expect(people[0]?.identityEvents).toContainEqual({
      reason: 'MANUAL_MERGE',
      detail: `person ${other} (Yangqing Jia) merged into person ${kept} (Yangqing Jia)`,
    });

    const exported = await cli(db, ['export', 'ris', '--person', 'Yangqing Jia']);
    expect(exported.code).toBe(0);
    expect(risTitles(exported.stdout).sort()).toEqual([CAFFE, GOING_DEEPER, TENSORFLOW].sort());
  });

  it('splits the Caffe paper off to a new person, recording MANUAL_SPLIT on both', async () => {
    const workId = Buffer.from(`Work:${caffeWork}`).toString('base64url');
    const { code, stdout } = await cli(db, ['people', 'split', String(kept), '--works', workId]);
    expect(code).toBe(0);
    const people = await yangqingJias();
    expect(people).toHaveLength(2);
    splitOff = people[1]?.id ?? 0;
    expect(splitOff).not.toBe(kept);
    expect(stdout).toContain(`split off to person ${splitOff}`);
    expect(people[0]?.authorships.map((authorship) => authorship.work.title)).toEqual([TENSORFLOW, GOING_DEEPER]);
    expect(people[1]?.authorships.map((authorship) => authorship.work.id)).toEqual([caffeWork]);
    for (const person of people)
      expect(person.identityEvents.filter((event) => event.reason === 'MANUAL_SPLIT')).toHaveLength(1);
  });

  it('keeps the split when the same BibTeX files are imported again', async () => {
    for (const file of [frameworks, d2l]) expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
    const people = await yangqingJias();
    expect(people.map((person) => person.id)).toEqual([kept, splitOff]);
    expect(people[0]?.authorships.map((authorship) => authorship.work.title)).toEqual([TENSORFLOW, GOING_DEEPER]);
    expect(people[1]?.authorships.map((authorship) => authorship.work.id)).toEqual([caffeWork]);
  });
});

describe('importing bibliographies again', () => {
  beforeAll(reset);

  it('changes nothing the second time, short titles without a DOI included', async () => {
    for (const file of [frameworks, d2l]) expect((await cli(db, ['import', 'bibtex', file])).code).toBe(0);
    const before = await counts(db.prisma);
    const again = await cli(db, ['import', 'bibtex', d2l, '--json']);
    expect(again.summary).toMatchObject({ status: 'finished', read: 488, inserted: 0, updated: 0, failed: 0 });
    expect(await counts(db.prisma)).toEqual(before);
    // "Fast R-CNN" is too short a title to identify a work by itself.
    expect(await db.prisma.work.count({ where: { citationKey: 'Girshick.2015' } })).toBe(1);
  });
});
