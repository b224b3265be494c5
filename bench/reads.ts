/**
 * The dashboard mix of the read benchmark (`npm run bench`): each query as citegraph answers it,
 * as PostGraphile 5 answers it on the same database (null where it has no equivalent), and as
 * the floor answers it (hand-written SQL behind node:http). `rows` turns each answer into the
 * same plain rows, so the benchmark can check that all of them agree before it times them.
 */

import { orcidFor } from '../src/generate/identifiers.js';
import { SCAN_BOUND } from '../src/services/neighborhood.js';
import { SEARCH_TYPES, searchStatement } from '../src/services/search.js';
import { comparisonSql, contributorPageSql, personTimelineSql, projectImpactSql } from '../src/services/timelines.js';

/** Ids and cursors picked from the loaded data before the run. */
export interface Subjects {
  /** The work with the most citing works. */
  workId: number;
  /** Its citing works, ranked like the connection, at the deep page's start: citation count and id of the row before. */
  deep: { offset: number; citationCount: number; id: number };
  /** citegraph's and PostGraphile's cursors for that row, found by paging each API. */
  cursors: { citegraph: string; postgraphile: string };
  /** All works, most cited first: the row before a page as deep, and each API's cursor for it. */
  deepWorks: {
    offset: number;
    citationCount: number;
    id: number;
    cursors: { citegraph: string; postgraphile: string };
  };
  /** The person with the most works, all of them with per-year counts (so citationsByYear is known). */
  personId: number;
  /** Yangqing Jia, from the demo data: real framework involvement. */
  involvedPersonId: number;
  /** The demo's six frameworks with git history: Caffe, Caffe2, ONNX, Torch7, Theano, Keras. */
  frameworkIds: number[];
  years: { from: number; to: number };
  /** What the dashboard's pages open: GoogLeNet, Google, and the organization with the most works. */
  pages: { workId: number; organizationId: number; largestOrganizationId: number };
}

export type Row = unknown[];

/** An answer's `data`, read by path: the benchmark checks answers against each other rather than typing them. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Answer = any;

export interface Request {
  query: string;
  variables: Record<string, unknown>;
}

export interface ReadQuery {
  name: string;
  citegraph: (subjects: Subjects) => Request;
  postgraphile: ((subjects: Subjects) => Request) | null;
  /** What PostGraphile would need to answer the query, where it cannot. */
  postgraphileWouldNeed?: string;
  floor: ((subjects: Subjects) => FloorQuery) | null;
  rows: {
    citegraph: (data: Answer) => Row[];
    postgraphile?: (data: Answer) => Row[];
    floor?: (data: Answer) => Row[];
  };
}

/** A statement of the floor server: prepared once by name, its rows sent back as arrays. */
export interface FloorQuery {
  sql: string;
  values: unknown[];
}

export const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');

const byCitations = '[CITATION_COUNT_DESC, PRIMARY_KEY_DESC]';

/** h-index of citation counts in any order: the largest h with h works cited at least h times. */
export function hIndex(counts: number[]): number {
  const sorted = [...counts].sort((a, b) => b - a);
  let h = 0;
  while (h < sorted.length && (sorted[h] ?? 0) >= h + 1) h += 1;
  return h;
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

const titleAndCount = (work: { title: string; citationCount: number }): Row => [work.title, work.citationCount];

/** An edge of a co-citation or coupling connection as a row: the work, then the count beside it. */
const countedRow = (edge: Answer): Row => [...titleAndCount(edge.node), edge.count];

const pairsWouldNeed =
  "a SQL function counting the works two citation links away through the work's citing works (or references), with the bound on rows read";

/**
 * Co-citation (hop citing_id, back cited_id) or coupling (the other way) of the work `subject`
 * over its citing works (references) whose links fit in $2 rows, read most cited first (coupling:
 * least cited first), as the field counts them.
 */
const pairedSql = (hop: string, back: string, subject: string, direction = 'DESC') =>
  `WITH subject AS (SELECT ${subject} AS id),
   via AS (
     SELECT c.${hop} AS id, sum((SELECT count(*) FROM citation l WHERE l.${hop} = c.${hop}))
            OVER (ORDER BY w.citation_count ${direction}, w.id ${direction}) AS upto
     FROM citation c JOIN work w ON w.id = c.${hop} WHERE c.${back} = (SELECT id FROM subject))
   SELECT w.title, w.citation_count, count(*)::int FROM via JOIN citation l ON l.${hop} = via.id
   JOIN work w ON w.id = l.${back}
   WHERE via.upto <= $2 AND l.${back} <> (SELECT id FROM subject)
   GROUP BY w.id ORDER BY count(*) DESC, w.citation_count DESC, w.id DESC LIMIT 20`;
/** The ORCID iDs of the generated dataset's first 50 people, in a scrambled order; those without one stay unresolved. */
const benchOrcids = Array.from({ length: 50 }, (_, index) =>
  orcidFor((index * 37) % 50).replace('https://orcid.org/', ''),
);
const byRequestOrder = (rows: Row[]) =>
  rows.sort((a, b) => benchOrcids.indexOf(a[0] as string) - benchOrcids.indexOf(b[0] as string));

const searchTypeNames = ['Work', 'Person', 'Project', 'Organization'];

/** Query.search's statement, with each hit's title or name. */
const searchFloor = (query: string): FloorQuery => ({
  sql: `SELECT h.type, coalesce(w.title, p.name, pr.name, o.name), h.score FROM (${searchStatement(SEARCH_TYPES, false)}) h
        LEFT JOIN work w ON h.type = 1 AND w.id = h.id LEFT JOIN person p ON h.type = 2 AND p.id = h.id
        LEFT JOIN project pr ON h.type = 3 AND pr.id = h.id LEFT JOIN organization o ON h.type = 4 AND o.id = h.id
        ORDER BY h.score DESC, h.type, h.id`,
  values: [query, 20],
});

const searchQuery = `query ($q: String!) { search(query: $q, first: 20) { edges { score node { __typename
  ... on Work { title } ... on Person { name } ... on Project { name } ... on Organization { name } } } } }`;

const searchRows = (data: Answer): Row[] =>
  data.search.edges.map((edge: Answer) => [
    edge.node.__typename,
    edge.node.title ?? edge.node.name,
    Math.round(edge.score * 1_000_000),
  ]);

/** An owner's metrics as of a year and its h-index by year, asked of a node of this type. */
const windowedQuery = (type: 'Person' | 'Organization') =>
  `query ($id: ID!, $from: Int!, $to: Int) { node(id: $id) { ... on ${type} { metrics(asOf: $to) { hIndexLowerBound hIndexUpperBound citationCountLowerBound } hIndexByYear(from: $from, to: $to) { year lowerBound upperBound } } } }`;

const windowedRows = (data: Answer): Row[] => [
  [data.node.metrics.hIndexLowerBound, data.node.metrics.hIndexUpperBound, data.node.metrics.citationCountLowerBound],
  ...data.node.hIndexByYear.map((row: Answer) => [row.year, row.lowerBound, row.upperBound]),
];

export const readQueries: ReadQuery[] = [
  {
    name: 'top 20 works with authors',
    citegraph: () => ({
      query: '{ works(first: 20) { nodes { title citationCount authors { name } } } }',
      variables: {},
    }),
    postgraphile: () => ({
      query: `{ allWorks(first: 20, orderBy: ${byCitations}) { nodes { title citationCount authorshipsByWorkId(orderBy: POSITION_ASC) { nodes { personByPersonId { name } } } } } }`,
      variables: {},
    }),
    floor: () => ({
      sql: `SELECT w.title, w.citation_count,
                   array(SELECT p.name FROM authorship a JOIN person p ON p.id = a.person_id
                         WHERE a.work_id = w.id ORDER BY a.position)
            FROM work w ORDER BY w.citation_count DESC, w.id DESC LIMIT 20`,
      values: [],
    }),
    rows: {
      citegraph: (data) =>
        data.works.nodes.map((work: Answer) => [
          ...titleAndCount(work),
          work.authors.map((author: Answer) => author.name),
        ]),
      postgraphile: (data) =>
        data.allWorks.nodes.map((work: Answer) => [
          ...titleAndCount(work),
          work.authorshipsByWorkId.nodes.map((authorship: Answer) => authorship.personByPersonId.name),
        ]),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a work's 50 most cited citing works",
    citegraph: (s) => ({
      query: 'query ($id: ID!) { work(id: $id) { citedBy(first: 50) { nodes { title citationCount } } } }',
      variables: { id: globalId('Work', s.workId) },
    }),
    postgraphile: (s) => ({
      query: `query ($id: Int!) { allWorks(first: 50, orderBy: ${byCitations}, filter: { citationsByCitingId: { some: { citedId: { equalTo: $id } } } }) { nodes { title citationCount } } }`,
      variables: { id: s.workId },
    }),
    floor: (s) => ({
      sql: `SELECT w.title, w.citation_count FROM work w
            WHERE EXISTS (SELECT 1 FROM citation c WHERE c.citing_id = w.id AND c.cited_id = $1)
            ORDER BY w.citation_count DESC, w.id DESC LIMIT 50`,
      values: [s.workId],
    }),
    rows: {
      citegraph: (data) => data.work.citedBy.nodes.map(titleAndCount),
      postgraphile: (data) => data.allWorks.nodes.map(titleAndCount),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a work's citing works, a page deep in the list",
    citegraph: (s) => ({
      query:
        'query ($id: ID!, $after: String) { work(id: $id) { citedBy(first: 50, after: $after) { nodes { title citationCount } } } }',
      variables: { id: globalId('Work', s.workId), after: s.cursors.citegraph },
    }),
    postgraphile: (s) => ({
      query: `query ($id: Int!, $after: Cursor) { allWorks(first: 50, after: $after, orderBy: ${byCitations}, filter: { citationsByCitingId: { some: { citedId: { equalTo: $id } } } }) { nodes { title citationCount } } }`,
      variables: { id: s.workId, after: s.cursors.postgraphile },
    }),
    floor: (s) => ({
      sql: `SELECT w.title, w.citation_count FROM work w
            WHERE EXISTS (SELECT 1 FROM citation c WHERE c.citing_id = w.id AND c.cited_id = $1)
              AND (w.citation_count, w.id) < ($2, $3)
            ORDER BY w.citation_count DESC, w.id DESC LIMIT 50`,
      values: [s.workId, s.deep.citationCount, s.deep.id],
    }),
    rows: {
      citegraph: (data) => data.work.citedBy.nodes.map(titleAndCount),
      postgraphile: (data) => data.allWorks.nodes.map(titleAndCount),
      floor: (data) => data.rows,
    },
  },
  {
    name: 'all works, a page deep in the list',
    citegraph: (s) => ({
      query: 'query ($after: String) { works(first: 50, after: $after) { nodes { title citationCount } } }',
      variables: { after: s.deepWorks.cursors.citegraph },
    }),
    postgraphile: (s) => ({
      query: `query ($after: Cursor) { allWorks(first: 50, after: $after, orderBy: ${byCitations}) { nodes { title citationCount } } }`,
      variables: { after: s.deepWorks.cursors.postgraphile },
    }),
    floor: (s) => ({
      sql: `SELECT w.title, w.citation_count FROM work w
            WHERE (w.citation_count, w.id) < ($1, $2)
            ORDER BY w.citation_count DESC, w.id DESC LIMIT 50`,
      values: [s.deepWorks.citationCount, s.deepWorks.id],
    }),
    rows: {
      citegraph: (data) => data.works.nodes.map(titleAndCount),
      postgraphile: (data) => data.allWorks.nodes.map(titleAndCount),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a person's 20 most cited works and h-index",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { node(id: $id) { ... on Person { name works(first: 20) { nodes { title citationCount } } metrics { hIndex } } } }',
      variables: { id: globalId('Person', s.personId) },
    }),
    postgraphile: (s) => ({
      // No h-index in PostGraphile: the client fetches every work's count and computes it.
      query: `query ($id: Int!) { personByRowId(rowId: $id) { name }
        top: allWorks(first: 20, orderBy: ${byCitations}, filter: { authorshipsByWorkId: { some: { personId: { equalTo: $id } } } }) { nodes { title citationCount } }
        all: allWorks(filter: { authorshipsByWorkId: { some: { personId: { equalTo: $id } } } }) { nodes { citationCount } } }`,
      variables: { id: s.personId },
    }),
    floor: (s) => ({
      sql: `SELECT p.name,
                   array(SELECT array[w.title, w.citation_count::text] FROM work w
                         WHERE EXISTS (SELECT 1 FROM authorship a WHERE a.work_id = w.id AND a.person_id = p.id)
                         ORDER BY w.citation_count DESC, w.id DESC LIMIT 20),
                   (SELECT count(*) FROM (SELECT w.citation_count, row_number() OVER (ORDER BY w.citation_count DESC) AS rank
                                          FROM authorship a JOIN work w ON w.id = a.work_id WHERE a.person_id = p.id) ranked
                    WHERE citation_count >= rank)::int
            FROM person p WHERE p.id = $1`,
      values: [s.personId],
    }),
    rows: {
      citegraph: (data) => [[data.node.name, data.node.metrics.hIndex], ...data.node.works.nodes.map(titleAndCount)],
      postgraphile: (data) => [
        [data.personByRowId.name, hIndex(data.all.nodes.map((work: Answer) => work.citationCount))],
        ...data.top.nodes.map(titleAndCount),
      ],
      floor: (data) => {
        const [name, works, h] = data.rows[0];
        return [[name, h], ...works.map(([title, count]: [string, string]) => [title, Number(count)])];
      },
    },
  },
  {
    name: 'works in a year range, most cited first',
    citegraph: (s) => ({
      query:
        'query ($from: Int, $to: Int) { works(first: 20, filter: { yearFrom: $from, yearTo: $to }) { nodes { title citationCount publicationYear } } }',
      variables: { from: s.years.from, to: s.years.to },
    }),
    postgraphile: (s) => ({
      query: `query ($from: Int!, $to: Int!) { allWorks(first: 20, orderBy: ${byCitations}, filter: { publicationYear: { greaterThanOrEqualTo: $from, lessThanOrEqualTo: $to } }) { nodes { title citationCount publicationYear } } }`,
      variables: { from: s.years.from, to: s.years.to },
    }),
    floor: (s) => ({
      sql: `SELECT w.title, w.citation_count, w.publication_year FROM work w
            WHERE w.publication_year BETWEEN $1 AND $2
            ORDER BY w.citation_count DESC, w.id DESC LIMIT 20`,
      values: [s.years.from, s.years.to],
    }),
    rows: {
      citegraph: (data) => data.works.nodes.map((work: Answer) => [...titleAndCount(work), work.publicationYear]),
      postgraphile: (data) => data.allWorks.nodes.map((work: Answer) => [...titleAndCount(work), work.publicationYear]),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a person's citations per year",
    citegraph: (s) => ({
      query: 'query ($id: ID!) { node(id: $id) { ... on Person { citationsByYear { year count } } } }',
      variables: { id: globalId('Person', s.personId) },
    }),
    // The rollup citegraph's importer keeps is a table PostGraphile exposes too.
    postgraphile: (s) => ({
      query:
        'query ($id: Int!) { allPersonYears(condition: { personId: $id }, orderBy: YEAR_ASC) { nodes { year citations } } }',
      variables: { id: s.personId },
    }),
    floor: (s) => ({
      sql: 'SELECT year, citations FROM person_year WHERE person_id = $1 ORDER BY year',
      values: [s.personId],
    }),
    rows: {
      // citegraph zero-fills the years; the rollup holds only years with works or citations.
      citegraph: (data) =>
        data.node.citationsByYear.filter((row: Answer) => row.count > 0).map((row: Answer) => [row.year, row.count]),
      postgraphile: (data) =>
        data.allPersonYears.nodes
          .filter((row: Answer) => row.citations > 0)
          .map((row: Answer) => [row.year, row.citations]),
      floor: (data) => data.rows.filter((row: number[]) => (row[1] ?? 0) > 0),
    },
  },
  {
    name: 'framework involvement of a person',
    citegraph: (s) => ({
      query: 'query ($id: ID!) { frameworkInvolvement(personId: $id) { year project { name } roles commits } }',
      variables: { id: globalId('Person', s.involvedPersonId) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function (computed column) that merges contribution periods with monthly commits per year, or the client fetching every contribution and activity row',
    floor: null,
    rows: {
      citegraph: (data) =>
        data.frameworkInvolvement.map((row: Answer) => [row.year, row.project.name, row.roles, row.commits]),
    },
  },
  {
    name: "a work's 20 most co-cited works",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { work(id: $id) { coCitedWith(first: 20) { edges { count node { title citationCount } } } } }',
      variables: { id: globalId('Work', s.workId) },
    }),
    postgraphile: null,
    postgraphileWouldNeed: pairsWouldNeed,
    floor: (s) => ({ sql: pairedSql('citing_id', 'cited_id', '$1::int'), values: [s.workId, SCAN_BOUND] }),
    rows: { citegraph: (data) => data.work.coCitedWith.edges.map(countedRow), floor: (data) => data.rows },
  },
  {
    // Through its most cited citing work, which has a reference (the work) whatever the data.
    name: "the 20 works most coupled with a work's most cited citing work",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { work(id: $id) { citedBy(first: 1) { nodes { bibliographicCoupling(first: 20) { edges { count node { title citationCount } } } } } } }',
      variables: { id: globalId('Work', s.workId) },
    }),
    postgraphile: null,
    postgraphileWouldNeed: pairsWouldNeed,
    floor: (s) => ({
      sql: pairedSql(
        'cited_id',
        'citing_id',
        `(SELECT w.id FROM work w WHERE EXISTS (SELECT 1 FROM citation c WHERE c.citing_id = w.id AND c.cited_id = $1)
          ORDER BY w.citation_count DESC, w.id DESC LIMIT 1)`,
        'ASC',
      ),
      values: [s.workId, SCAN_BOUND],
    }),
    rows: {
      citegraph: (data) => data.work.citedBy.nodes[0]?.bibliographicCoupling.edges.map(countedRow) ?? [],
      floor: (data) => data.rows,
    },
  },
  {
    name: "a work's citation neighbourhood, two links deep",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { work(id: $id) { neighborhood(depth: 2, first: 20) { edges { distance count node { title citationCount } } } } }',
      variables: { id: globalId('Work', s.workId) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function walking the citation table both ways from the work, then from each work found, with the bound on rows read',
    floor: (s) => ({
      sql: `WITH near AS (
              SELECT other AS id, count(*)::int AS n
              FROM (SELECT cited_id AS other FROM citation WHERE citing_id = $1
                    UNION ALL SELECT citing_id FROM citation WHERE cited_id = $1) l
              WHERE other <> $1 GROUP BY other),
            links AS (
              SELECT near.id AS via, l.other FROM near CROSS JOIN LATERAL (
                SELECT cited_id AS other FROM citation WHERE citing_id = near.id
                UNION ALL SELECT citing_id FROM citation WHERE cited_id = near.id) l),
            read AS (
              SELECT v.via, sum(v.n) OVER (ORDER BY w.citation_count DESC, w.id DESC) AS upto
              FROM (SELECT via, count(*) AS n FROM links GROUP BY via) v JOIN work w ON w.id = v.via),
            far AS (
              SELECT links.other AS id, count(*)::int AS n FROM links JOIN read USING (via)
              WHERE read.upto <= $2 AND links.other <> $1 AND links.other NOT IN (SELECT id FROM near)
              GROUP BY links.other),
            ring AS (SELECT id, 1 AS distance, n FROM near UNION ALL SELECT id, 2, n FROM far)
            SELECT w.title, w.citation_count, ring.distance, ring.n FROM ring JOIN work w ON w.id = ring.id
            ORDER BY ring.distance, ring.n DESC, w.citation_count DESC, w.id DESC LIMIT 20`,
      values: [s.workId, SCAN_BOUND],
    }),
    rows: {
      citegraph: (data) =>
        data.work.neighborhood.edges.map((edge: Answer) => [...titleAndCount(edge.node), edge.distance, edge.count]),
      floor: (data) => data.rows,
    },
  },
  {
    name: 'search: a misspelled name, among all kinds of records',
    citegraph: () => ({ query: searchQuery, variables: { q: 'Yangqin Jai' } }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function ranking trigram matches of names and full-text matches of titles in one union, exposed as a custom query returning a union type',
    floor: () => searchFloor('Yangqin Jai'),
    rows: {
      citegraph: searchRows,
      floor: (data) =>
        data.rows.map(([type, label, score]: [number, string, number]) => [searchTypeNames[type - 1], label, score]),
    },
  },
  {
    name: 'search: title words, among all kinds of records',
    citegraph: () => ({ query: searchQuery, variables: { q: 'convolutional neural networks' } }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function ranking trigram matches of names and full-text matches of titles in one union, exposed as a custom query returning a union type',
    floor: () => searchFloor('convolutional neural networks'),
    rows: {
      citegraph: searchRows,
      floor: (data) =>
        data.rows.map(([type, label, score]: [number, string, number]) => [searchTypeNames[type - 1], label, score]),
    },
  },
  {
    name: 'people by 50 ORCID iDs, in the order asked',
    citegraph: () => ({
      query: 'query ($orcids: [String!]) { people(orcids: $orcids, first: 50) { unresolved nodes { orcid name } } }',
      variables: { orcids: benchOrcids },
    }),
    postgraphile: () => ({
      query: 'query ($orcids: [String!]) { allPeople(filter: { orcid: { in: $orcids } }) { nodes { orcid name } } }',
      variables: { orcids: benchOrcids },
    }),
    floor: () => ({
      sql: `SELECT p.orcid, p.name FROM unnest($1::text[]) WITH ORDINALITY AS asked(orcid, n)
            JOIN person p ON p.orcid = asked.orcid ORDER BY asked.n`,
      values: [benchOrcids],
    }),
    rows: {
      citegraph: (data) => data.people.nodes.map((person: Answer) => [person.orcid, person.name]),
      // PostGraphile lists them by primary key: the client puts them in its own order.
      postgraphile: (data) => byRequestOrder(data.allPeople.nodes.map((person: Answer) => [person.orcid, person.name])),
      floor: (data) => data.rows,
    },
  },
  {
    name: 'a work by its OpenAlex id',
    citegraph: () => ({
      query: 'query ($id: String!) { work(openalexId: $id) { title citationCount } }',
      variables: { id: 'https://openalex.org/W2271840356' },
    }),
    postgraphile: () => ({
      // Prisma declares the column unique with an index, not a constraint: PostGraphile offers a condition.
      query: 'query ($id: String!) { allWorks(condition: { openalexId: $id }) { nodes { title citationCount } } }',
      variables: { id: 'W2271840356' },
    }),
    floor: () => ({ sql: 'SELECT title, citation_count FROM work WHERE openalex_id = $1', values: ['W2271840356'] }),
    rows: {
      citegraph: (data) => [titleAndCount(data.work)],
      postgraphile: (data) => data.allWorks.nodes.map(titleAndCount),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a project's impact timeline",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { node(id: $id) { ... on Project { impactTimeline { years { year commits activeContributors newContributors citations contributorWorkCitations } } } } }',
      variables: { id: globalId('Project', s.frameworkIds.at(-1) ?? 0) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      "a SQL function joining monthly activity, contribution periods, project_year and the contributors' distinct works' per-year counts, or the client fetching all of them",
    floor: (s) => ({ sql: projectImpactSql, values: [[s.frameworkIds.at(-1) ?? 0]] }),
    rows: {
      citegraph: (data) =>
        data.node.impactTimeline.years
          .filter((row: Answer) => row.commits > 0)
          .map((row: Answer) => [row.year, row.commits, row.activeContributors]),
      floor: (data) =>
        data.rows
          .filter((row: Answer[]) => row[0] === 'activity')
          .map((row: Answer[]) => [row[2], row[3], row[4]])
          .sort((a: number[], b: number[]) => (a[0] ?? 0) - (b[0] ?? 0)),
    },
  },
  {
    name: "a project's contributors, one row per person",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { node(id: $id) { ... on Project { contributors(first: 50) { totalCount nodes { firstActive commits roles person { name } } } } } }',
      variables: { id: globalId('Project', s.frameworkIds.at(-1) ?? 0) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function grouping contribution periods per person with their commits counted once, and keyset paging over it',
    floor: (s) => ({
      sql: contributorPageSql,
      values: [[s.frameworkIds.at(-1) ?? 0], null, null, null, null, 50, false],
    }),
    rows: {
      citegraph: (data) =>
        data.node.contributors.nodes.map((row: Answer) => [
          row.firstActive,
          row.commits,
          data.node.contributors.totalCount,
        ]),
      floor: (data) => data.rows.map((row: Answer[]) => [new Date(row[3]).toISOString().slice(0, 10), row[6], row[1]]),
    },
  },
  {
    name: 'six frameworks compared by first commit',
    citegraph: (s) => ({
      query:
        'query ($ids: [ID!]!) { compareProjects(ids: $ids, alignBy: FIRST_COMMIT, metric: COMMITS, span: 10) { year0 peakOffset points { offset value } } }',
      variables: { ids: s.frameworkIds.map((id) => globalId('Project', id)) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'a SQL function aligning each project at its first commit year, or the client summing every activity row',
    floor: (s) => ({ sql: comparisonSql('COMMITS'), values: [s.frameworkIds] }),
    rows: {
      // Both sorted the same way: the floor's rows come in no particular project order.
      citegraph: (data) =>
        data.compareProjects
          .map((series: Answer) => [series.year0, series.points.map((point: Answer) => point.value)])
          .sort(byJson),
      floor: (data) => {
        const rows = data.rows as [string, number, number, number | null][];
        return [...new Set(rows.map((row) => row[1]))]
          .map((project) => {
            const year0 = rows.find((row) => row[0] === 'first_commit' && row[1] === project)?.[2] ?? 0;
            const values = new Map(
              rows.filter((row) => row[0] === 'value' && row[1] === project).map((row) => [row[2], row[3]]),
            );
            return [year0, Array.from({ length: 11 }, (_, offset) => values.get(year0 + offset) ?? 0)];
          })
          .sort(byJson);
      },
    },
  },
  {
    name: "a person's involvement timeline",
    citegraph: (s) => ({
      query:
        'query ($id: ID!) { node(id: $id) { ... on Person { involvementTimeline { years { year worksPublished citations projects { project { name } roles commits } affiliations { kind title organization { name } } } } } } }',
      variables: { id: globalId('Person', s.involvedPersonId) },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'SQL functions merging contribution periods, monthly commits, affiliation periods and person_year per year, or the client fetching all of them',
    floor: (s) => ({ sql: personTimelineSql, values: [[s.involvedPersonId]] }),
    rows: {
      citegraph: (data) =>
        data.node.involvementTimeline.years
          .filter((row: Answer) => row.worksPublished > 0 || row.citations > 0)
          .map((row: Answer) => [row.year, row.worksPublished, row.citations]),
      floor: (data) =>
        data.rows
          .filter((row: Answer[]) => row[1] !== null && (row[2] > 0 || row[3] > 0))
          .map((row: Answer[]) => [row[1], row[2], row[3]])
          .sort((a: number[], b: number[]) => (a[0] ?? 0) - (b[0] ?? 0)),
    },
  },
  {
    name: "a year range's total, citations and citations per year",
    citegraph: (s) => ({
      query:
        'query ($from: Int, $to: Int) { works(first: 1, filter: { yearFrom: $from, yearTo: $to }) { totalCount citationCount citationsByYear { year count } } }',
      variables: { from: s.years.from, to: s.years.to },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      'aggregates over a filtered set (the pg-aggregates plugin) for the sums, and a SQL function grouping the per-year counts of the filtered works',
    floor: (s) => ({
      sql: `WITH set AS (SELECT id, citation_count FROM work WHERE publication_year BETWEEN $1 AND $2)
            SELECT 0, count(*)::int, sum(citation_count)::int FROM set
            UNION ALL
            SELECT y.year, 0, sum(y.count)::int FROM set JOIN work_yearly_count y ON y.work_id = set.id
            GROUP BY y.year HAVING sum(y.count) > 0 ORDER BY 1`,
      values: [s.years.from, s.years.to],
    }),
    rows: {
      citegraph: (data) => [
        [0, data.works.totalCount, data.works.citationCount],
        ...data.works.citationsByYear
          .filter((row: Answer) => row.count > 0)
          .map((row: Answer) => [row.year, 0, row.count]),
      ],
      floor: (data) => data.rows,
    },
  },
  {
    name: 'a year range grouped by venue',
    citegraph: (s) => ({
      query:
        'query ($from: Int, $to: Int) { works(first: 1, filter: { yearFrom: $from, yearTo: $to }) { groupBy(field: VENUE, first: 10) { key worksCount citationCount } } }',
      variables: { from: s.years.from, to: s.years.to },
    }),
    postgraphile: null,
    postgraphileWouldNeed: 'grouped aggregates over a filtered set (the pg-aggregates plugin, groupedAggregates)',
    floor: (s) => ({
      sql: `SELECT venue, count(*)::int AS n, sum(citation_count)::int AS c FROM work
            WHERE publication_year BETWEEN $1 AND $2
            GROUP BY venue ORDER BY n DESC, c DESC, venue NULLS LAST LIMIT 10`,
      values: [s.years.from, s.years.to],
    }),
    rows: {
      citegraph: (data) =>
        data.works.groupBy.map((group: Answer) => [group.key, group.worksCount, group.citationCount]),
      floor: (data) => data.rows,
    },
  },
  {
    name: "a person's metrics as of a year and h-index by year",
    citegraph: (s) => ({
      query: windowedQuery('Person'),
      variables: { id: globalId('Person', s.personId), from: s.years.from, to: s.years.to },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      "a SQL function computing each work's citations up to a year from the per-year counts, with bounds, and the h-index of them per year",
    floor: null,
    rows: { citegraph: windowedRows },
  },
  {
    name: "the largest organization's metrics as of a year and h-index by year",
    citegraph: (s) => ({
      query: windowedQuery('Organization'),
      variables: { id: globalId('Organization', s.pages.largestOrganizationId), from: s.years.from, to: s.years.to },
    }),
    postgraphile: null,
    postgraphileWouldNeed:
      "the organization's works as a view, and the same SQL function as a person's h-index by year over them",
    floor: null,
    rows: { citegraph: windowedRows },
  },
  {
    name: 'a page of 20 works as BibTeX',
    citegraph: () => ({ query: 'query { works(first: 20) { bibtex } }', variables: {} }),
    postgraphile: null,
    postgraphileWouldNeed: 'the client fetching each work with its authors and printing the entries itself',
    floor: null,
    rows: {
      citegraph: (data) =>
        data.works.bibtex
          .split(/^@/m)
          .filter(Boolean)
          .map((entry: string) => [entry.length]),
    },
  },
];
