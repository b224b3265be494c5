import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { writeInstitutions } from '../src/ingest/organizations.js';
import { resolveWorkIds, writeEdges } from '../src/ingest/works.js';
import type { Connection } from '../src/sql.js';
import { emptyDatabase } from './ingest-kit.js';

/**
 * The staged, set-based writers at their edges, called directly on the import's own kind of
 * connection: identifier sets that chain into each other, institutions known by ROR alone or
 * by a ROR another organization holds, and per-year counts of zero under the rollups.
 */

let db: Db;
let connection: Connection;

beforeAll(async () => {
  db = await emptyDatabase('staging');
  connection = await db.connect();
});
afterAll(async () => {
  await connection?.close();
  await db?.close();
});
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe('TRUNCATE work, person, project, organization RESTART IDENTITY CASCADE');
});

describe('references that chain through shared identifiers', () => {
  it('resolves every reference when a later one carries the identifiers of two earlier ones', async () => {
    const refs = [{ doi: '10.1000/chain' }, { arxivId: '2101.00001' }, { doi: '10.1000/chain', arxivId: '2101.00001' }];
    const written = await connection.transaction(async (tx) => {
      const citing = await resolveWorkIds(tx, [{ openalexId: 'W1' }]);
      const citingId = citing.ids[0] ?? 0;
      return writeEdges(
        tx,
        refs.map((cited) => ({ citingId, cited })),
        'test',
      );
    });
    // The arXiv id and the DOI were two minimal works before the third reference named both: they stay two.
    expect(written).toMatchObject({ citations: 2, stubs: 2 });
    const ids = await connection.transaction((tx) => resolveWorkIds(tx, refs));
    expect(ids.ids.every((id) => id > 0)).toBe(true);
    expect(ids.stubIds).toEqual([]);
  });
});

describe('institutions', () => {
  const ror = '02s6k3f65';

  async function works(count: number) {
    return connection.transaction(
      async (tx) =>
        (
          await resolveWorkIds(
            tx,
            Array.from({ length: count }, (_, n) => ({ openalexId: `W${n + 1}` })),
          )
        ).ids,
    );
  }

  it('takes an institution known by its ROR alone for the organization of that ROR', async () => {
    const [workId = 0] = await works(1);
    await connection.transaction((tx) =>
      writeInstitutions(tx, [
        { workId, position: 1, institutions: [{ name: 'University of Basel', openalexId: 'I1850255', ror }] },
        { workId, position: 2, institutions: [{ name: 'University of Basel', ror }] },
      ]),
    );
    const organizations = await db.prisma.organization.findMany();
    expect(organizations).toHaveLength(1);
    expect(organizations[0]).toMatchObject({ openalexId: 'I1850255', ror, slug: 'university-of-basel' });
    expect(await db.prisma.authorshipInstitution.count({ where: { organizationId: organizations[0]?.id } })).toBe(2);
  });

  it('keeps an institution whose ROR another organization holds as an organization of its own', async () => {
    const [first = 0, second = 0] = await works(2);
    await connection.transaction((tx) =>
      writeInstitutions(tx, [{ workId: first, position: 1, institutions: [{ name: 'Basel', openalexId: 'I1', ror }] }]),
    );
    await connection.transaction((tx) =>
      writeInstitutions(tx, [
        { workId: second, position: 1, institutions: [{ name: 'Basel', openalexId: 'I2', ror }] },
      ]),
    );
    const organizations = await db.prisma.organization.findMany({ orderBy: { id: 'asc' } });
    expect(organizations.map((o) => [o.openalexId, o.ror, o.slug])).toEqual([
      ['I1', ror, 'basel'],
      ['I2', null, 'basel-i2'],
    ]);
    expect(await db.prisma.authorshipInstitution.count({ where: { workId: second } })).toBe(1);
  });
});

describe('rollups and per-year counts of zero', () => {
  async function exact() {
    const rows = (source: string) =>
      db.prisma.$queryRawUnsafe(`SELECT person_id, year, works, citations FROM ${source} ORDER BY 1, 2`);
    expect(await rows('person_year')).toEqual(await rows('person_year_recount'));
  }

  it('keeps no rollup row for a year whose counts are all zero, through inserts, updates and moves', async () => {
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO work (id, title, sources, updated_at) VALUES (1, 'a', '{}', now()), (2, 'b', '{}', now())`,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO person (id, name, name_key, sources, updated_at) VALUES (1, 'P', 'p', '{}', now()), (2, 'Q', 'q', '{}', now())`,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO authorship (work_id, person_id, position) VALUES (1, 1, 1), (2, 1, 1)`,
    );
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO work_yearly_count (work_id, year, count) VALUES (1, 2019, 0), (2, 2019, 2)`,
    );
    await exact();
    await db.prisma.$executeRawUnsafe(`DELETE FROM work_yearly_count WHERE work_id = 2`);
    await exact();
    await db.prisma.$executeRawUnsafe(`UPDATE work_yearly_count SET count = 3 WHERE work_id = 1`);
    await exact();
    await db.prisma.$executeRawUnsafe(`UPDATE work_yearly_count SET count = 0 WHERE work_id = 1`);
    await exact();
    await db.prisma.$executeRawUnsafe(`UPDATE authorship SET person_id = 2 WHERE work_id = 1`);
    await exact();
    await db.prisma.$executeRawUnsafe(`UPDATE work SET publication_year = 2018 WHERE id = 1`);
    await exact();
    // Person 1 keeps work 2, which has no year and no counts; person 2 has work 1, from 2018, cited 0 times.
    expect(await db.prisma.personYear.findMany({ orderBy: [{ personId: 'asc' }, { year: 'asc' }] })).toEqual([
      { personId: 2, year: 2018, works: 1, citations: 0 },
    ]);
  });
});
