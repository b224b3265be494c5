/**
 * The dashboard's own pages as bench lines: each page's typed document from dashboard/src/gql,
 * sent as the page sends it, with the variables the page computes from its URL. They run in the
 * read benchmark beside the API's lines, so each page's latency on the 100k and 1M databases is
 * measured, not assumed. Neither PostGraphile nor the floor answers a whole page in one request.
 */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  CompareProjectsDocument,
  DashboardOverviewDocument,
  DashboardSearchDocument,
  OrganizationPageDocument,
  PersonPageDocument,
  ProjectPageDocument,
  WorkPageDocument,
} from '../dashboard/src/gql/graphql.js';
import { type Answer, globalId, type ReadQuery, type Request, type Row, type Subjects } from './reads.js';

const wouldNeed = 'one request per figure on the page, or a SQL function per page: its pages are not one relation';

/** A page's request: its document printed once, with the variables the page derives from its URL. */
function page<Variables>(
  document: TypedDocumentNode<unknown, Variables>,
  variables: (subjects: Subjects) => Variables,
): (subjects: Subjects) => Request {
  const query = print(document);
  return (subjects) => ({ query, variables: variables(subjects) as Record<string, unknown> });
}

/** The year the pages count "since five years ago" and the h-index series from, fixed so runs compare. */
const thisYear = 2026;

const pageLine = (
  name: string,
  citegraph: (subjects: Subjects) => Request,
  rows: (data: Answer) => Row[],
): ReadQuery => ({
  name: `dashboard page: ${name}`,
  citegraph,
  postgraphile: null,
  postgraphileWouldNeed: wouldNeed,
  floor: null,
  rows: { citegraph: rows },
});

export const dashboardQueries: ReadQuery[] = [
  pageLine(
    'overview (/)',
    page(DashboardOverviewDocument, () => ({})),
    (data) => data.topCitedWorks.map((work: Answer) => [work.title, work.citationCount]),
  ),
  pageLine(
    'search "Jia"',
    page(DashboardSearchDocument, () => ({ query: 'Jia', types: null, after: null })),
    (data) => data.search.edges.map((edge: Answer) => [edge.node.__typename, edge.score]),
  ),
  pageLine(
    "a person's page (Yangqing Jia)",
    page(PersonPageDocument, (s) => ({
      id: globalId('Person', s.involvedPersonId),
      since: thisYear - 5,
      from: thisYear - 15,
    })),
    (data) => [
      [data.person.metrics.citationCount, data.person.metrics.hIndex],
      ...data.person.hIndexByYear.map((row: Answer) => [row.year, row.lowerBound, row.upperBound]),
      ...data.person.works.nodes.map((work: Answer) => [work.title, work.citationCount]),
    ],
  ),
  pageLine(
    "a project's page (Caffe)",
    page(ProjectPageDocument, (s) => ({ id: globalId('Project', s.frameworkIds[0] ?? 0), role: null, after: null })),
    (data) => [
      [data.project.name, data.project.contributors.totalCount],
      ...data.project.impactTimeline.years.map((row: Answer) => [row.year, row.commits, row.citations]),
    ],
  ),
  pageLine(
    "a project's comparison (six frameworks by first commit, commits)",
    page(CompareProjectsDocument, (s) => ({
      ids: s.frameworkIds.map((id) => globalId('Project', id)),
      alignBy: 'FIRST_COMMIT' as const,
      metric: 'COMMITS' as const,
    })),
    (data) => data.compareProjects.map((series: Answer) => [series.project.name, series.peakYear, series.peakValue]),
  ),
  pageLine(
    "a work's page (GoogLeNet)",
    page(WorkPageDocument, (s) => ({ id: globalId('Work', s.pages.workId), citedAfter: null })),
    (data) => [
      [data.work.title, data.work.citationCount, data.work.citedBy.totalCount],
      ...data.work.coCitedWith.edges.map((edge: Answer) => [edge.node.title, edge.count]),
    ],
  ),
  ...(
    [
      ["an organization's page (Google)", (s: Subjects) => s.pages.organizationId],
      ["an organization's page (the one with the most works)", (s: Subjects) => s.pages.largestOrganizationId],
    ] as const
  ).map(([name, id]) =>
    pageLine(
      name,
      page(OrganizationPageDocument, (s) => ({ id: globalId('Organization', id(s)) })),
      (data) => [
        [data.organization.name, data.organization.metrics.worksCount, data.organization.affiliations.totalCount],
        ...data.organization.citationsByYear.map((row: Answer) => [row.year, row.count]),
      ],
    ),
  ),
];
