import DataLoader from 'dataloader';
import type { ExportWork } from '../export/formats.js';
import { loadExportWorks } from '../export/works.js';
import type { Affiliation, Contribution, Person, Prisma, PrismaClient, Work } from '../generated/prisma/client.js';
import { type CitationDirection, citationPageIds } from './citations.js';
import { type CountSource, countSources } from './counts.js';
import {
  type CommitMonth,
  commitMonths,
  contributionCommits,
  frameworkInvolvement,
  type InvolvementRow,
  type ProjectYear,
  projectActivityByYear,
} from './involvement.js';
import {
  type CoAuthorRow,
  coAuthors,
  type PersonYearly,
  personYearlyCitations,
  workYearlyCitations,
  type YearCount,
} from './metrics.js';
import { type NeighborPage, type NeighborRequest, type NeighborRow, neighborPages } from './neighborhood.js';
import {
  type ContributorPage,
  type ContributorPageArgs,
  contributorPages,
  contributorPeriods,
  type PersonTimelineData,
  type ProjectImpact,
  personTimelineData,
  projectImpact,
} from './timelines.js';
import {
  type CitationMetrics,
  type HIndexYear,
  hIndexByYear,
  type SetYearly,
  setMetrics,
  setYearly,
} from './windows.js';
import type { WorkFilter } from './works.js';

/**
 * Per-request batch loaders: a field resolved for every item of a page costs one round of
 * SQL per page, not one per item.
 */
export interface Loaders {
  workYearly: DataLoader<number, YearCount[]>;
  /** Each source's latest figure of a work, and its citation edges counted. */
  countSources: DataLoader<number, CountSource[]>;
  /** Works in the shape the bibliography formats print, for a connection's exports. */
  exportWork: DataLoader<number, ExportWork | null>;
  personYearly: DataLoader<number, PersonYearly>;
  /** Citation metrics of a person's, project's or organization's works in a window of years. */
  metrics: Record<
    SetKind,
    DataLoader<{ id: number; since: number | null; asOf: number | null }, CitationMetrics, string>
  >;
  hIndexByYear: Record<SetKind, DataLoader<{ id: number; from: number; to: number }, HIndexYear[], string>>;
  /** Citations per year over a person's, project's or organization's works. */
  setYearly: Record<SetKind, DataLoader<number, SetYearly>>;
  /** The same over the works matching a filter: each distinct filter once per request. */
  filterYearly: DataLoader<WorkFilter, SetYearly, string>;
  coAuthors: DataLoader<{ personId: number; first: number }, CoAuthorRow[], string>;
  involvement: DataLoader<{ personId: number; from: number | null; to: number | null }, InvolvementRow[], string>;
  commitMonths: DataLoader<{ personId: number; from: number | null; to: number | null }, CommitMonth[], string>;
  contributionCommits: DataLoader<number, number | null>;
  projectActivity: DataLoader<number, ProjectYear[]>;
  /** A page of works citing (or cited by) a work, with the fields the request selects (only those are loaded). */
  citationPage: DataLoader<CitationPageKey, Work[], string>;
  /** Rows of a link table per id, for a connection's totalCount: counted only when a client asks for it. */
  citingCount: DataLoader<number, number>;
  referenceCount: DataLoader<number, number>;
  authoredCount: DataLoader<number, number>;
  /** A page of a work's co-cited, coupled or neighbouring works, with the selected fields of each. */
  neighborPage: DataLoader<NeighborPageKey, NeighborWorksPage, string>;
  /** A project's impact timeline figures (services/timelines.ts). */
  projectImpact: DataLoader<number, ProjectImpact>;
  /** A person's affiliations and per-year works and citations, for their involvement timeline. */
  personTimeline: DataLoader<number, PersonTimelineData>;
  /** A page of a project's contributors, one row per person. */
  contributorPage: DataLoader<ContributorPageKey, ContributorPage, string>;
  /** Every contribution period of a person in a project, with the fields the request selects. */
  contributorPeriods: DataLoader<ContributorPeriodsKey, Contribution[], string>;
  /** People by id, with the fields the request selects. */
  person: DataLoader<ByIdKey<Shape<Prisma.PersonSelect, Prisma.PersonInclude>>, Person | null, string>;
  /** Affiliations by id, with the fields the request selects. */
  affiliation: DataLoader<
    ByIdKey<Shape<Prisma.AffiliationSelect, Prisma.AffiliationInclude>>,
    Affiliation | null,
    string
  >;
}

export type ContributorPageKey = ContributorPageArgs & { projectId: number };

export interface ContributorPeriodsKey {
  projectId: number;
  personId: number;
  /** The Prisma selection Pothos planned for the periods. */
  shape: { select: Prisma.ContributionSelect } | { include: Prisma.ContributionInclude };
}

/**
 * A loader for keys made of an id and arguments: one batch call per distinct set of
 * arguments in the request, which receives the ids and the arguments (as the first key).
 */
function loaderWithArgs<Key extends Record<string, number | string | boolean | null>, Value>(
  idName: keyof Key & string,
  load: (ids: number[], args: Key) => Promise<Value[]>,
) {
  const argsKey = (key: Key) => JSON.stringify({ ...key, [idName]: undefined });
  return new DataLoader<Key, Value, string>(
    async (keys) => {
      const groups = new Map<string, Key[]>();
      for (const key of keys) groups.set(argsKey(key), [...(groups.get(argsKey(key)) ?? []), key]);
      const results = new Map<string, Value>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const ids = group.map((key) => key[idName] as number);
          const values = await load(ids, group[0] as Key);
          for (const [index, key] of group.entries()) results.set(JSON.stringify(key), values[index] as Value);
        }),
      );
      return keys.map((key) => results.get(JSON.stringify(key)) as Value);
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

export interface CitationPageKey {
  direction: CitationDirection;
  parentId: number;
  take: number;
  cursorId: number | null;
  /** The Prisma selection Pothos planned for the listed works. */
  shape: { select: Prisma.WorkSelect } | { include: Prisma.WorkInclude };
}

/**
 * The pages of every parent a request asks about with the same arguments: their ids in one
 * statement, then the selected fields of all of them in one more.
 */
function citationPages(prisma: PrismaClient) {
  const argsKey = ({ parentId: _parent, ...rest }: CitationPageKey) => JSON.stringify(rest);
  return new DataLoader<CitationPageKey, Work[], string>(
    async (keys) => {
      const groups = new Map<string, CitationPageKey[]>();
      for (const key of keys) groups.set(argsKey(key), [...(groups.get(argsKey(key)) ?? []), key]);
      const pages = new Map<CitationPageKey, Work[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { direction, take, cursorId, shape } = group[0] as CitationPageKey;
          const ids = await citationPageIds(
            prisma,
            direction,
            group.map((key) => key.parentId),
            { take, cursorId },
          );
          const args: Prisma.WorkFindManyArgs = { ...shape, where: { id: { in: ids.flat() } } };
          const rows = await prisma.work.findMany(args);
          const byId = new Map(rows.map((row) => [row.id, row]));
          for (const [index, key] of group.entries())
            pages.set(
              key,
              (ids[index] ?? []).flatMap((id) => byId.get(id) ?? []),
            );
        }),
      );
      return keys.map((key) => pages.get(key) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

export interface NeighborPageKey extends NeighborRequest {
  parentId: number;
  /** The Prisma selection Pothos planned for the listed works. */
  shape: { select: Prisma.WorkSelect } | { include: Prisma.WorkInclude };
}

export interface NeighborWorksPage extends Omit<NeighborPage, 'rows'> {
  /** The page's rows, each with its work. */
  entries: { row: NeighborRow; work: Work }[];
}

/**
 * The neighbour pages of every parent a request asks about with the same arguments: their rows
 * and figures in one statement, then the selected fields of all the listed works in one more.
 */
function neighborWorkPages(prisma: PrismaClient) {
  const argsKey = ({ parentId: _parent, ...rest }: NeighborPageKey) => JSON.stringify(rest);
  return new DataLoader<NeighborPageKey, NeighborWorksPage, string>(
    async (keys) => {
      const groups = new Map<string, NeighborPageKey[]>();
      for (const key of keys) groups.set(argsKey(key), [...(groups.get(argsKey(key)) ?? []), key]);
      const pages = new Map<NeighborPageKey, NeighborWorksPage>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { shape, parentId: _parent, ...request } = group[0] as NeighborPageKey;
          const found = await neighborPages(
            prisma,
            group.map((key) => key.parentId),
            request,
          );
          const ids = found.flatMap((page) => page.rows.map((row) => row.id));
          const args: Prisma.WorkFindManyArgs = { ...shape, where: { id: { in: ids } } };
          const rows = ids.length === 0 ? [] : await prisma.work.findMany(args);
          const byId = new Map(rows.map((row) => [row.id, row]));
          for (const [index, key] of group.entries()) {
            const page = found[index] as NeighborPage;
            const { rows: listed, ...figures } = page;
            const entries = listed.flatMap((row) => {
              const work = byId.get(row.id);
              return work ? [{ row, work }] : [];
            });
            pages.set(key, { ...figures, entries });
          }
        }),
      );
      return keys.map((key) => pages.get(key) as NeighborWorksPage);
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

/** The periods of every (project, person) a request asks about with the same selection, in one statement. */
function periodsLoader(prisma: PrismaClient) {
  return new DataLoader<ContributorPeriodsKey, Contribution[], string>(
    async (keys) => {
      const groups = new Map<string, ContributorPeriodsKey[]>();
      for (const key of keys) {
        const shapeKey = JSON.stringify(key.shape);
        groups.set(shapeKey, [...(groups.get(shapeKey) ?? []), key]);
      }
      const found = new Map<ContributorPeriodsKey, Contribution[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const periods = await contributorPeriods(prisma, group, (group[0] as ContributorPeriodsKey).shape);
          for (const [index, key] of group.entries()) found.set(key, (periods[index] ?? []) as Contribution[]);
        }),
      );
      return keys.map((key) => found.get(key) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

type Shape<Select, Include> = { select: Select } | { include: Include };

/** A row by id, with the fields the request selects (the Prisma selection Pothos planned). */
export interface ByIdKey<S> {
  id: number;
  shape: S;
}

/**
 * Rows by id for fields that hand a planned selection on (a page's people, a year's
 * affiliations): one statement per distinct selection in the request.
 */
function byIdLoader<S extends Shape<object, object>, Row extends { id: number }>(
  find: (ids: number[], shape: S) => Promise<Row[]>,
) {
  return new DataLoader<ByIdKey<S>, Row | null, string>(
    async (keys) => {
      const groups = new Map<string, ByIdKey<S>[]>();
      for (const key of keys) {
        const shapeKey = JSON.stringify(key.shape);
        groups.set(shapeKey, [...(groups.get(shapeKey) ?? []), key]);
      }
      const found = new Map<string, Row>();
      await Promise.all(
        [...groups.entries()].map(async ([shapeKey, group]) => {
          const { shape } = group[0] as ByIdKey<S>;
          const withId = ('select' in shape ? { select: { ...shape.select, id: true } } : shape) as S;
          const rows = await find([...new Set(group.map((key) => key.id))], withId);
          for (const row of rows) found.set(`${shapeKey}:${row.id}`, row);
        }),
      );
      return keys.map((key) => found.get(`${JSON.stringify(key.shape)}:${key.id}`) ?? null);
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

/** Rows of `table` per value of `column` among `ids`, in one statement. */
async function countRows(
  prisma: PrismaClient,
  table: 'citation' | 'authorship',
  column: 'cited_id' | 'citing_id' | 'person_id',
  ids: readonly number[],
): Promise<number[]> {
  const rows = await prisma.$queryRawUnsafe<{ id: number; n: number }[]>(
    `SELECT ${column} AS id, count(*)::int AS n FROM ${table} WHERE ${column} = ANY($1::int[]) GROUP BY ${column}`,
    [...ids],
  );
  const counts = new Map(rows.map((row) => [Number(row.id), Number(row.n)]));
  return ids.map((id) => counts.get(id) ?? 0);
}

type SetKind = 'person' | 'project' | 'organization';

const bySetKind = <T>(make: (kind: SetKind) => T): Record<SetKind, T> => ({
  person: make('person'),
  project: make('project'),
  organization: make('organization'),
});

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    workYearly: new DataLoader((ids) => workYearlyCitations(prisma, ids)),
    countSources: new DataLoader((ids) => countSources(prisma, ids)),
    exportWork: new DataLoader(async (ids) => {
      const works = new Map((await loadExportWorks(prisma, [...ids])).map((work) => [work.id, work]));
      return ids.map((id) => works.get(id) ?? null);
    }),
    personYearly: new DataLoader((ids) => personYearlyCitations(prisma, ids)),
    metrics: bySetKind((kind) =>
      loaderWithArgs<{ id: number; since: number | null; asOf: number | null }, CitationMetrics>('id', (ids, window) =>
        setMetrics(prisma, { kind, ids }, window),
      ),
    ),
    hIndexByYear: bySetKind((kind) =>
      loaderWithArgs<{ id: number; from: number; to: number }, HIndexYear[]>('id', (ids, { from, to }) =>
        hIndexByYear(prisma, { kind, ids }, from, to),
      ),
    ),
    setYearly: bySetKind((kind) => new DataLoader((ids) => setYearly(prisma, { kind, ids }))),
    filterYearly: new DataLoader(
      (filters) =>
        Promise.all(
          filters.map(async (filter) => (await setYearly(prisma, { kind: 'filter', filter }))[0] as SetYearly),
        ),
      { cacheKeyFn: (filter) => JSON.stringify(filter) },
    ),
    coAuthors: loaderWithArgs<{ personId: number; first: number }, CoAuthorRow[]>('personId', (ids, { first }) =>
      coAuthors(prisma, ids, first),
    ),
    involvement: loaderWithArgs<{ personId: number; from: number | null; to: number | null }, InvolvementRow[]>(
      'personId',
      (ids, { from, to }) => frameworkInvolvement(prisma, ids, from, to),
    ),
    commitMonths: loaderWithArgs<{ personId: number; from: number | null; to: number | null }, CommitMonth[]>(
      'personId',
      (ids, { from, to }) => commitMonths(prisma, ids, from, to),
    ),
    contributionCommits: new DataLoader((ids) => contributionCommits(prisma, ids)),
    projectActivity: new DataLoader((ids) => projectActivityByYear(prisma, ids)),
    citationPage: citationPages(prisma),
    citingCount: new DataLoader((ids) => countRows(prisma, 'citation', 'cited_id', ids)),
    referenceCount: new DataLoader((ids) => countRows(prisma, 'citation', 'citing_id', ids)),
    authoredCount: new DataLoader((ids) => countRows(prisma, 'authorship', 'person_id', ids)),
    neighborPage: neighborWorkPages(prisma),
    projectImpact: new DataLoader((ids) => projectImpact(prisma, ids)),
    personTimeline: new DataLoader((ids) => personTimelineData(prisma, ids)),
    contributorPage: loaderWithArgs<ContributorPageKey, ContributorPage>('projectId', (ids, args) =>
      contributorPages(prisma, ids, args),
    ),
    contributorPeriods: periodsLoader(prisma),
    person: byIdLoader(
      (ids, shape: Shape<Prisma.PersonSelect, Prisma.PersonInclude>) =>
        prisma.person.findMany({ ...shape, where: { id: { in: ids } } } as Prisma.PersonFindManyArgs) as Promise<
          Person[]
        >,
    ),
    affiliation: byIdLoader(
      (ids, shape: Shape<Prisma.AffiliationSelect, Prisma.AffiliationInclude>) =>
        prisma.affiliation.findMany({
          ...shape,
          where: { id: { in: ids } },
        } as Prisma.AffiliationFindManyArgs) as Promise<Affiliation[]>,
    ),
  };
}
