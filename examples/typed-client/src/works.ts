import { type ClientOptions, execute } from './client.js';
import type { WorkType } from './generated/graphql.js';
import { type FragmentType, getFragmentData, graphql } from './generated/index.js';
import type { JsonValue } from './scalars.js';

/** The fields a work card shows. */
export const WorkCardFragment = graphql(`
  fragment WorkCard on Work {
    id
    title
    type
    publicationYear
    publicationDate
    citationCount
  }
`);

/** A page of works: the same fragment reads Query.works, Person.works, Work.citedBy and the others. */
export const WorkListPageFragment = graphql(`
  fragment WorkListPage on WorkListConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...WorkCard
    }
  }
`);

const MostCitedWorks = graphql(`
  query MostCitedWorks($first: Int!, $after: String, $filter: WorkFilter) {
    works(first: $first, after: $after, filter: $filter) {
      ...WorkListPage
    }
  }
`);

const CitingWorks = graphql(`
  query CitingWorks($id: ID!, $first: Int!, $after: String) {
    node(id: $id) {
      __typename
      ... on Work {
        title
        cslJson
        citedBy(first: $first, after: $after) {
          ...WorkListPage
        }
      }
    }
  }
`);

export interface WorkCard {
  id: string;
  title: string;
  type: WorkType | null;
  /** YYYY-MM-DD (an RFC 3339 full-date), as citegraph sends it. */
  published: string | null;
  citations: number | null;
}

export interface WorkPage {
  total: number;
  works: WorkCard[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

function card(fragment: FragmentType<typeof WorkCardFragment>): WorkCard {
  const work = getFragmentData(WorkCardFragment, fragment);
  return {
    id: work.id,
    title: work.title ?? '(untitled)',
    type: work.type ?? null,
    published: work.publicationDate ?? null,
    citations: work.citationCount ?? null,
  };
}

/** Reads any connection of works through the WorkListPage fragment. */
export function workPage(fragment: FragmentType<typeof WorkListPageFragment>): WorkPage {
  const page = getFragmentData(WorkListPageFragment, fragment);
  return {
    total: page.totalCount,
    works: page.nodes.map(card),
    next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
  };
}

/** The most cited works, optionally of a publication year range, a page at a time. */
export async function mostCitedWorks(
  client: ClientOptions,
  first: number,
  options: { after?: string; yearFrom?: number; yearTo?: number } = {},
): Promise<WorkPage> {
  const data = await execute(client, MostCitedWorks, {
    first,
    after: options.after ?? null,
    filter: { yearFrom: options.yearFrom ?? null, yearTo: options.yearTo ?? null },
  });
  return workPage(data.works);
}

/** A work's title, its CSL-JSON item, and a page of the works that cite it; null for an id of no work. */
export async function citingWorks(
  client: ClientOptions,
  workId: string,
  first: number,
  after?: string,
): Promise<{ title: string | null; csl: JsonValue; citedBy: WorkPage } | null> {
  const data = await execute(client, CitingWorks, { id: workId, first, after: after ?? null });
  if (data.node?.__typename !== 'Work') return null;
  return { title: data.node.title ?? null, csl: data.node.cslJson, citedBy: workPage(data.node.citedBy) };
}
