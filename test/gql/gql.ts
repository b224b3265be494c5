/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query JiaWorks($first: Int!) {\n    person(name: \"Yangqing Jia\") {\n      name\n      works(first: $first) {\n        totalCount\n        nodes {\n          title\n          publicationYear\n          citationCount\n          authors { name }\n        }\n      }\n    }\n  }\n": typeof types.JiaWorksDocument,
    "\n  query JiaMetricsAll {\n    person(name: \"yangqing JIA\") {\n      metrics { citationCount hIndex i10Index worksCount worksWithoutYearlyCounts unknownReason }\n      since2014: metrics(since: 2014) { since citationCount hIndex i10Index worksCount unknownReason }\n      citationsByYear(from: 2014, to: 2020) { year count }\n      reportedMetrics { source retrievedOn retrievedOnPrecision citationCount }\n      works(first: 100) { nodes { citationCount } }\n    }\n  }\n": typeof types.JiaMetricsAllDocument,
    "\n  query PeopleYearly($after: String) {\n    people(first: 5, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        citationsByYear { year count }\n        works(first: 100) { nodes { citationsByYear { year count } } }\n      }\n    }\n  }\n": typeof types.PeopleYearlyDocument,
    "\n  query TensorFlowCounts($doi: String!) {\n    work(doi: $doi) {\n      title\n      doi\n      openalexId\n      citationCount\n      since2014: citationCount(since: 2014)\n      since2020: citationCount(since: 2020)\n      publicationYear\n      citationsByYear { year count }\n      countBasis {\n        kind\n        hasYearlyCounts\n        citationsWithoutYear\n        reported { source retrievedOn total hasYearlyCounts }\n      }\n      reportedCounts { source total }\n      projects { slug }\n    }\n  }\n": typeof types.TensorFlowCountsDocument,
    "\n  query Involvement($personId: ID!, $from: Int, $to: Int) {\n    frameworkInvolvement(personId: $personId, from: $from, to: $to) {\n      year\n      project { slug name }\n      roles\n      commits\n    }\n  }\n": typeof types.InvolvementDocument,
    "\n  query PersonId($name: String!) {\n    person(name: $name) { id name }\n  }\n": typeof types.PersonIdDocument,
    "\n  query WorksPage($first: Int!, $after: String, $filter: WorkFilter, $orderBy: WorkOrder) {\n    works(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        title\n        publicationYear\n        citationCount\n      }\n    }\n  }\n": typeof types.WorksPageDocument,
    "\n  query Dashboard($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        citationCount\n        since2014: citationCount(since: 2014)\n        citationsByYear(from: 2014, to: 2016) { year count }\n        authors { name }\n        projects { slug }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query People($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      totalCount\n      nodes {\n        name\n        metrics { hIndex i10Index citationCount }\n        since2014: metrics(since: 2014) { hIndex }\n      }\n    }\n  }\n": typeof types.PeopleDocument,
    "\n  query TopCited($first: Int, $since: Int, $filter: WorkFilter) {\n    topCitedWorks(first: $first, since: $since, filter: $filter) {\n      title\n      citationCount\n      sinceCount: citationCount(since: $since)\n    }\n  }\n": typeof types.TopCitedDocument,
    "\n  query NodeLookup($id: ID!, $ids: [ID!]!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Work { title }\n    }\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n": typeof types.NodeLookupDocument,
    "\n  query ProjectContributors($slug: String!, $role: ContributionRole, $activeYear: Int, $first: Int) {\n    project(slug: $slug) {\n      name\n      repositoryUrl\n      contributors(first: $first, role: $role, activeYear: $activeYear) {\n        totalCount\n        nodes {\n          role\n          startDate\n          startPrecision\n          endDate\n          ended\n          isCurrent\n          commits\n          source\n          person { name }\n        }\n      }\n      activityByYear { year commits activeContributors }\n      works { title }\n    }\n  }\n": typeof types.ProjectContributorsDocument,
    "\n  query WorkCitations($doi: String!) {\n    work(doi: $doi) {\n      title\n      references(first: 3) { totalCount nodes { title } }\n    }\n  }\n": typeof types.WorkCitationsDocument,
    "\n  query GoogLeNetCitations($first: Int!, $authorId: ID!) {\n    topCitedWorks(first: 1, filter: { yearFrom: 2015, yearTo: 2015, authorId: $authorId }) {\n      title\n      citedBy(first: $first) {\n        totalCount\n        nodes { title publicationYear }\n      }\n    }\n  }\n": typeof types.GoogLeNetCitationsDocument,
    "\n  query PeopleDeep($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      nodes {\n        name\n        works(first: 3) { totalCount nodes { title authors { name } } }\n        coAuthors(first: 3) { person { name } worksTogether }\n        frameworkInvolvement { year project { slug } roles commits }\n        contributions { role commits }\n      }\n    }\n  }\n": typeof types.PeopleDeepDocument,
    "\n  query WorksDeep($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        countBasis { kind reported { source total hasYearlyCounts } }\n        citedBy(first: 3) { totalCount nodes { title } }\n        references(first: 3) { totalCount edges { cursor node { title } } }\n      }\n    }\n  }\n": typeof types.WorksDeepDocument,
    "\n  query ProjectsDeep($first: Int!) {\n    projects(first: $first) {\n      nodes { slug activityByYear { year commits } works { title } }\n    }\n  }\n": typeof types.ProjectsDeepDocument,
    "\n  query PersonWorksPage($first: Int!, $after: String, $orderBy: WorkOrder) {\n    person(name: \"Yangqing Jia\") {\n      works(first: $first, after: $after, orderBy: $orderBy) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { title publicationYear citationCount }\n      }\n    }\n  }\n": typeof types.PersonWorksPageDocument,
    "\n  query PersonPage {\n    person(name: \"Yangqing Jia\") {\n      works(first: 5) { totalCount nodes { title citationCount authors { name } } }\n      metrics { hIndex i10Index }\n      since2014: metrics(since: 2014) { hIndex }\n      coAuthors { person { name } worksTogether }\n      affiliations { organization { name } startDate }\n      contributions { project { name } role commits }\n    }\n  }\n": typeof types.PersonPageDocument,
    "\n  query JiaProfile {\n    person(name: \"Yangqing Jia\") {\n      otherNames\n      affiliations {\n        organization { name }\n        kind\n        title\n        unit\n        startDate\n        startPrecision\n        endDate\n        endPrecision\n        ended\n        isCurrent\n      }\n      contributions { role project { slug } startDate ended }\n      coAuthors(first: 3) { person { name } worksTogether }\n    }\n  }\n": typeof types.JiaProfileDocument,
    "query JiaId { person(name: \"Yangqing Jia\") { id } }": typeof types.JiaIdDocument,
    "query CaffeId { project(slug: \"caffe\") { id } }": typeof types.CaffeIdDocument,
    "query JiaIdForCitations { person(name: \"Yangqing Jia\") { id } }": typeof types.JiaIdForCitationsDocument,
    "\n  query PeopleByOrcid($orcids: [String!], $first: Int, $after: String, $last: Int, $before: String) {\n    people(orcids: $orcids, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      unresolved\n      nodes { id name orcid }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n": typeof types.PeopleByOrcidDocument,
    "\n  query WorkByIds($openalexId: String, $semanticScholarId: String) {\n    work(openalexId: $openalexId, semanticScholarId: $semanticScholarId) {\n      id\n      title\n      openalexId\n      semanticScholarId\n    }\n  }\n": typeof types.WorkByIdsDocument,
    "\n  query PreparedTopWorks {\n    works(first: 5) { nodes { title authors { name } } }\n  }\n": typeof types.PreparedTopWorksDocument,
    "\n  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {\n    search(query: $query, types: $types, first: $first, after: $after) {\n      edges {\n        score\n        cursor\n        node {\n          __typename\n          ... on Work { id title authors { name } }\n          ... on Person { id name works(first: 3) { totalCount } }\n          ... on Project { id name slug }\n          ... on Organization { id name }\n        }\n      }\n      nodes { __typename }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": typeof types.SearchDocument,
};
const documents: Documents = {
    "\n  query JiaWorks($first: Int!) {\n    person(name: \"Yangqing Jia\") {\n      name\n      works(first: $first) {\n        totalCount\n        nodes {\n          title\n          publicationYear\n          citationCount\n          authors { name }\n        }\n      }\n    }\n  }\n": types.JiaWorksDocument,
    "\n  query JiaMetricsAll {\n    person(name: \"yangqing JIA\") {\n      metrics { citationCount hIndex i10Index worksCount worksWithoutYearlyCounts unknownReason }\n      since2014: metrics(since: 2014) { since citationCount hIndex i10Index worksCount unknownReason }\n      citationsByYear(from: 2014, to: 2020) { year count }\n      reportedMetrics { source retrievedOn retrievedOnPrecision citationCount }\n      works(first: 100) { nodes { citationCount } }\n    }\n  }\n": types.JiaMetricsAllDocument,
    "\n  query PeopleYearly($after: String) {\n    people(first: 5, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        citationsByYear { year count }\n        works(first: 100) { nodes { citationsByYear { year count } } }\n      }\n    }\n  }\n": types.PeopleYearlyDocument,
    "\n  query TensorFlowCounts($doi: String!) {\n    work(doi: $doi) {\n      title\n      doi\n      openalexId\n      citationCount\n      since2014: citationCount(since: 2014)\n      since2020: citationCount(since: 2020)\n      publicationYear\n      citationsByYear { year count }\n      countBasis {\n        kind\n        hasYearlyCounts\n        citationsWithoutYear\n        reported { source retrievedOn total hasYearlyCounts }\n      }\n      reportedCounts { source total }\n      projects { slug }\n    }\n  }\n": types.TensorFlowCountsDocument,
    "\n  query Involvement($personId: ID!, $from: Int, $to: Int) {\n    frameworkInvolvement(personId: $personId, from: $from, to: $to) {\n      year\n      project { slug name }\n      roles\n      commits\n    }\n  }\n": types.InvolvementDocument,
    "\n  query PersonId($name: String!) {\n    person(name: $name) { id name }\n  }\n": types.PersonIdDocument,
    "\n  query WorksPage($first: Int!, $after: String, $filter: WorkFilter, $orderBy: WorkOrder) {\n    works(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        title\n        publicationYear\n        citationCount\n      }\n    }\n  }\n": types.WorksPageDocument,
    "\n  query Dashboard($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        citationCount\n        since2014: citationCount(since: 2014)\n        citationsByYear(from: 2014, to: 2016) { year count }\n        authors { name }\n        projects { slug }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query People($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      totalCount\n      nodes {\n        name\n        metrics { hIndex i10Index citationCount }\n        since2014: metrics(since: 2014) { hIndex }\n      }\n    }\n  }\n": types.PeopleDocument,
    "\n  query TopCited($first: Int, $since: Int, $filter: WorkFilter) {\n    topCitedWorks(first: $first, since: $since, filter: $filter) {\n      title\n      citationCount\n      sinceCount: citationCount(since: $since)\n    }\n  }\n": types.TopCitedDocument,
    "\n  query NodeLookup($id: ID!, $ids: [ID!]!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Work { title }\n    }\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n": types.NodeLookupDocument,
    "\n  query ProjectContributors($slug: String!, $role: ContributionRole, $activeYear: Int, $first: Int) {\n    project(slug: $slug) {\n      name\n      repositoryUrl\n      contributors(first: $first, role: $role, activeYear: $activeYear) {\n        totalCount\n        nodes {\n          role\n          startDate\n          startPrecision\n          endDate\n          ended\n          isCurrent\n          commits\n          source\n          person { name }\n        }\n      }\n      activityByYear { year commits activeContributors }\n      works { title }\n    }\n  }\n": types.ProjectContributorsDocument,
    "\n  query WorkCitations($doi: String!) {\n    work(doi: $doi) {\n      title\n      references(first: 3) { totalCount nodes { title } }\n    }\n  }\n": types.WorkCitationsDocument,
    "\n  query GoogLeNetCitations($first: Int!, $authorId: ID!) {\n    topCitedWorks(first: 1, filter: { yearFrom: 2015, yearTo: 2015, authorId: $authorId }) {\n      title\n      citedBy(first: $first) {\n        totalCount\n        nodes { title publicationYear }\n      }\n    }\n  }\n": types.GoogLeNetCitationsDocument,
    "\n  query PeopleDeep($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      nodes {\n        name\n        works(first: 3) { totalCount nodes { title authors { name } } }\n        coAuthors(first: 3) { person { name } worksTogether }\n        frameworkInvolvement { year project { slug } roles commits }\n        contributions { role commits }\n      }\n    }\n  }\n": types.PeopleDeepDocument,
    "\n  query WorksDeep($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        countBasis { kind reported { source total hasYearlyCounts } }\n        citedBy(first: 3) { totalCount nodes { title } }\n        references(first: 3) { totalCount edges { cursor node { title } } }\n      }\n    }\n  }\n": types.WorksDeepDocument,
    "\n  query ProjectsDeep($first: Int!) {\n    projects(first: $first) {\n      nodes { slug activityByYear { year commits } works { title } }\n    }\n  }\n": types.ProjectsDeepDocument,
    "\n  query PersonWorksPage($first: Int!, $after: String, $orderBy: WorkOrder) {\n    person(name: \"Yangqing Jia\") {\n      works(first: $first, after: $after, orderBy: $orderBy) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { title publicationYear citationCount }\n      }\n    }\n  }\n": types.PersonWorksPageDocument,
    "\n  query PersonPage {\n    person(name: \"Yangqing Jia\") {\n      works(first: 5) { totalCount nodes { title citationCount authors { name } } }\n      metrics { hIndex i10Index }\n      since2014: metrics(since: 2014) { hIndex }\n      coAuthors { person { name } worksTogether }\n      affiliations { organization { name } startDate }\n      contributions { project { name } role commits }\n    }\n  }\n": types.PersonPageDocument,
    "\n  query JiaProfile {\n    person(name: \"Yangqing Jia\") {\n      otherNames\n      affiliations {\n        organization { name }\n        kind\n        title\n        unit\n        startDate\n        startPrecision\n        endDate\n        endPrecision\n        ended\n        isCurrent\n      }\n      contributions { role project { slug } startDate ended }\n      coAuthors(first: 3) { person { name } worksTogether }\n    }\n  }\n": types.JiaProfileDocument,
    "query JiaId { person(name: \"Yangqing Jia\") { id } }": types.JiaIdDocument,
    "query CaffeId { project(slug: \"caffe\") { id } }": types.CaffeIdDocument,
    "query JiaIdForCitations { person(name: \"Yangqing Jia\") { id } }": types.JiaIdForCitationsDocument,
    "\n  query PeopleByOrcid($orcids: [String!], $first: Int, $after: String, $last: Int, $before: String) {\n    people(orcids: $orcids, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      unresolved\n      nodes { id name orcid }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n": types.PeopleByOrcidDocument,
    "\n  query WorkByIds($openalexId: String, $semanticScholarId: String) {\n    work(openalexId: $openalexId, semanticScholarId: $semanticScholarId) {\n      id\n      title\n      openalexId\n      semanticScholarId\n    }\n  }\n": types.WorkByIdsDocument,
    "\n  query PreparedTopWorks {\n    works(first: 5) { nodes { title authors { name } } }\n  }\n": types.PreparedTopWorksDocument,
    "\n  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {\n    search(query: $query, types: $types, first: $first, after: $after) {\n      edges {\n        score\n        cursor\n        node {\n          __typename\n          ... on Work { id title authors { name } }\n          ... on Person { id name works(first: 3) { totalCount } }\n          ... on Project { id name slug }\n          ... on Organization { id name }\n        }\n      }\n      nodes { __typename }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n": types.SearchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JiaWorks($first: Int!) {\n    person(name: \"Yangqing Jia\") {\n      name\n      works(first: $first) {\n        totalCount\n        nodes {\n          title\n          publicationYear\n          citationCount\n          authors { name }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JiaWorks($first: Int!) {\n    person(name: \"Yangqing Jia\") {\n      name\n      works(first: $first) {\n        totalCount\n        nodes {\n          title\n          publicationYear\n          citationCount\n          authors { name }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JiaMetricsAll {\n    person(name: \"yangqing JIA\") {\n      metrics { citationCount hIndex i10Index worksCount worksWithoutYearlyCounts unknownReason }\n      since2014: metrics(since: 2014) { since citationCount hIndex i10Index worksCount unknownReason }\n      citationsByYear(from: 2014, to: 2020) { year count }\n      reportedMetrics { source retrievedOn retrievedOnPrecision citationCount }\n      works(first: 100) { nodes { citationCount } }\n    }\n  }\n"): (typeof documents)["\n  query JiaMetricsAll {\n    person(name: \"yangqing JIA\") {\n      metrics { citationCount hIndex i10Index worksCount worksWithoutYearlyCounts unknownReason }\n      since2014: metrics(since: 2014) { since citationCount hIndex i10Index worksCount unknownReason }\n      citationsByYear(from: 2014, to: 2020) { year count }\n      reportedMetrics { source retrievedOn retrievedOnPrecision citationCount }\n      works(first: 100) { nodes { citationCount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PeopleYearly($after: String) {\n    people(first: 5, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        citationsByYear { year count }\n        works(first: 100) { nodes { citationsByYear { year count } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PeopleYearly($after: String) {\n    people(first: 5, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        citationsByYear { year count }\n        works(first: 100) { nodes { citationsByYear { year count } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TensorFlowCounts($doi: String!) {\n    work(doi: $doi) {\n      title\n      doi\n      openalexId\n      citationCount\n      since2014: citationCount(since: 2014)\n      since2020: citationCount(since: 2020)\n      publicationYear\n      citationsByYear { year count }\n      countBasis {\n        kind\n        hasYearlyCounts\n        citationsWithoutYear\n        reported { source retrievedOn total hasYearlyCounts }\n      }\n      reportedCounts { source total }\n      projects { slug }\n    }\n  }\n"): (typeof documents)["\n  query TensorFlowCounts($doi: String!) {\n    work(doi: $doi) {\n      title\n      doi\n      openalexId\n      citationCount\n      since2014: citationCount(since: 2014)\n      since2020: citationCount(since: 2020)\n      publicationYear\n      citationsByYear { year count }\n      countBasis {\n        kind\n        hasYearlyCounts\n        citationsWithoutYear\n        reported { source retrievedOn total hasYearlyCounts }\n      }\n      reportedCounts { source total }\n      projects { slug }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Involvement($personId: ID!, $from: Int, $to: Int) {\n    frameworkInvolvement(personId: $personId, from: $from, to: $to) {\n      year\n      project { slug name }\n      roles\n      commits\n    }\n  }\n"): (typeof documents)["\n  query Involvement($personId: ID!, $from: Int, $to: Int) {\n    frameworkInvolvement(personId: $personId, from: $from, to: $to) {\n      year\n      project { slug name }\n      roles\n      commits\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonId($name: String!) {\n    person(name: $name) { id name }\n  }\n"): (typeof documents)["\n  query PersonId($name: String!) {\n    person(name: $name) { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorksPage($first: Int!, $after: String, $filter: WorkFilter, $orderBy: WorkOrder) {\n    works(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        title\n        publicationYear\n        citationCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorksPage($first: Int!, $after: String, $filter: WorkFilter, $orderBy: WorkOrder) {\n    works(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        title\n        publicationYear\n        citationCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        citationCount\n        since2014: citationCount(since: 2014)\n        citationsByYear(from: 2014, to: 2016) { year count }\n        authors { name }\n        projects { slug }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        citationCount\n        since2014: citationCount(since: 2014)\n        citationsByYear(from: 2014, to: 2016) { year count }\n        authors { name }\n        projects { slug }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query People($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      totalCount\n      nodes {\n        name\n        metrics { hIndex i10Index citationCount }\n        since2014: metrics(since: 2014) { hIndex }\n      }\n    }\n  }\n"): (typeof documents)["\n  query People($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      totalCount\n      nodes {\n        name\n        metrics { hIndex i10Index citationCount }\n        since2014: metrics(since: 2014) { hIndex }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TopCited($first: Int, $since: Int, $filter: WorkFilter) {\n    topCitedWorks(first: $first, since: $since, filter: $filter) {\n      title\n      citationCount\n      sinceCount: citationCount(since: $since)\n    }\n  }\n"): (typeof documents)["\n  query TopCited($first: Int, $since: Int, $filter: WorkFilter) {\n    topCitedWorks(first: $first, since: $since, filter: $filter) {\n      title\n      citationCount\n      sinceCount: citationCount(since: $since)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NodeLookup($id: ID!, $ids: [ID!]!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Work { title }\n    }\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n"): (typeof documents)["\n  query NodeLookup($id: ID!, $ids: [ID!]!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Work { title }\n    }\n    nodes(ids: $ids) {\n      __typename\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectContributors($slug: String!, $role: ContributionRole, $activeYear: Int, $first: Int) {\n    project(slug: $slug) {\n      name\n      repositoryUrl\n      contributors(first: $first, role: $role, activeYear: $activeYear) {\n        totalCount\n        nodes {\n          role\n          startDate\n          startPrecision\n          endDate\n          ended\n          isCurrent\n          commits\n          source\n          person { name }\n        }\n      }\n      activityByYear { year commits activeContributors }\n      works { title }\n    }\n  }\n"): (typeof documents)["\n  query ProjectContributors($slug: String!, $role: ContributionRole, $activeYear: Int, $first: Int) {\n    project(slug: $slug) {\n      name\n      repositoryUrl\n      contributors(first: $first, role: $role, activeYear: $activeYear) {\n        totalCount\n        nodes {\n          role\n          startDate\n          startPrecision\n          endDate\n          ended\n          isCurrent\n          commits\n          source\n          person { name }\n        }\n      }\n      activityByYear { year commits activeContributors }\n      works { title }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkCitations($doi: String!) {\n    work(doi: $doi) {\n      title\n      references(first: 3) { totalCount nodes { title } }\n    }\n  }\n"): (typeof documents)["\n  query WorkCitations($doi: String!) {\n    work(doi: $doi) {\n      title\n      references(first: 3) { totalCount nodes { title } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GoogLeNetCitations($first: Int!, $authorId: ID!) {\n    topCitedWorks(first: 1, filter: { yearFrom: 2015, yearTo: 2015, authorId: $authorId }) {\n      title\n      citedBy(first: $first) {\n        totalCount\n        nodes { title publicationYear }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GoogLeNetCitations($first: Int!, $authorId: ID!) {\n    topCitedWorks(first: 1, filter: { yearFrom: 2015, yearTo: 2015, authorId: $authorId }) {\n      title\n      citedBy(first: $first) {\n        totalCount\n        nodes { title publicationYear }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PeopleDeep($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      nodes {\n        name\n        works(first: 3) { totalCount nodes { title authors { name } } }\n        coAuthors(first: 3) { person { name } worksTogether }\n        frameworkInvolvement { year project { slug } roles commits }\n        contributions { role commits }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PeopleDeep($first: Int!) {\n    people(first: $first, search: \"jia\") {\n      nodes {\n        name\n        works(first: 3) { totalCount nodes { title authors { name } } }\n        coAuthors(first: 3) { person { name } worksTogether }\n        frameworkInvolvement { year project { slug } roles commits }\n        contributions { role commits }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorksDeep($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        countBasis { kind reported { source total hasYearlyCounts } }\n        citedBy(first: 3) { totalCount nodes { title } }\n        references(first: 3) { totalCount edges { cursor node { title } } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorksDeep($first: Int!) {\n    works(first: $first) {\n      totalCount\n      nodes {\n        title\n        countBasis { kind reported { source total hasYearlyCounts } }\n        citedBy(first: 3) { totalCount nodes { title } }\n        references(first: 3) { totalCount edges { cursor node { title } } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectsDeep($first: Int!) {\n    projects(first: $first) {\n      nodes { slug activityByYear { year commits } works { title } }\n    }\n  }\n"): (typeof documents)["\n  query ProjectsDeep($first: Int!) {\n    projects(first: $first) {\n      nodes { slug activityByYear { year commits } works { title } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonWorksPage($first: Int!, $after: String, $orderBy: WorkOrder) {\n    person(name: \"Yangqing Jia\") {\n      works(first: $first, after: $after, orderBy: $orderBy) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { title publicationYear citationCount }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PersonWorksPage($first: Int!, $after: String, $orderBy: WorkOrder) {\n    person(name: \"Yangqing Jia\") {\n      works(first: $first, after: $after, orderBy: $orderBy) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { title publicationYear citationCount }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PersonPage {\n    person(name: \"Yangqing Jia\") {\n      works(first: 5) { totalCount nodes { title citationCount authors { name } } }\n      metrics { hIndex i10Index }\n      since2014: metrics(since: 2014) { hIndex }\n      coAuthors { person { name } worksTogether }\n      affiliations { organization { name } startDate }\n      contributions { project { name } role commits }\n    }\n  }\n"): (typeof documents)["\n  query PersonPage {\n    person(name: \"Yangqing Jia\") {\n      works(first: 5) { totalCount nodes { title citationCount authors { name } } }\n      metrics { hIndex i10Index }\n      since2014: metrics(since: 2014) { hIndex }\n      coAuthors { person { name } worksTogether }\n      affiliations { organization { name } startDate }\n      contributions { project { name } role commits }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JiaProfile {\n    person(name: \"Yangqing Jia\") {\n      otherNames\n      affiliations {\n        organization { name }\n        kind\n        title\n        unit\n        startDate\n        startPrecision\n        endDate\n        endPrecision\n        ended\n        isCurrent\n      }\n      contributions { role project { slug } startDate ended }\n      coAuthors(first: 3) { person { name } worksTogether }\n    }\n  }\n"): (typeof documents)["\n  query JiaProfile {\n    person(name: \"Yangqing Jia\") {\n      otherNames\n      affiliations {\n        organization { name }\n        kind\n        title\n        unit\n        startDate\n        startPrecision\n        endDate\n        endPrecision\n        ended\n        isCurrent\n      }\n      contributions { role project { slug } startDate ended }\n      coAuthors(first: 3) { person { name } worksTogether }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JiaId { person(name: \"Yangqing Jia\") { id } }"): (typeof documents)["query JiaId { person(name: \"Yangqing Jia\") { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CaffeId { project(slug: \"caffe\") { id } }"): (typeof documents)["query CaffeId { project(slug: \"caffe\") { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JiaIdForCitations { person(name: \"Yangqing Jia\") { id } }"): (typeof documents)["query JiaIdForCitations { person(name: \"Yangqing Jia\") { id } }"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PeopleByOrcid($orcids: [String!], $first: Int, $after: String, $last: Int, $before: String) {\n    people(orcids: $orcids, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      unresolved\n      nodes { id name orcid }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n"): (typeof documents)["\n  query PeopleByOrcid($orcids: [String!], $first: Int, $after: String, $last: Int, $before: String) {\n    people(orcids: $orcids, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      unresolved\n      nodes { id name orcid }\n      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkByIds($openalexId: String, $semanticScholarId: String) {\n    work(openalexId: $openalexId, semanticScholarId: $semanticScholarId) {\n      id\n      title\n      openalexId\n      semanticScholarId\n    }\n  }\n"): (typeof documents)["\n  query WorkByIds($openalexId: String, $semanticScholarId: String) {\n    work(openalexId: $openalexId, semanticScholarId: $semanticScholarId) {\n      id\n      title\n      openalexId\n      semanticScholarId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreparedTopWorks {\n    works(first: 5) { nodes { title authors { name } } }\n  }\n"): (typeof documents)["\n  query PreparedTopWorks {\n    works(first: 5) { nodes { title authors { name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {\n    search(query: $query, types: $types, first: $first, after: $after) {\n      edges {\n        score\n        cursor\n        node {\n          __typename\n          ... on Work { id title authors { name } }\n          ... on Person { id name works(first: 3) { totalCount } }\n          ... on Project { id name slug }\n          ... on Organization { id name }\n        }\n      }\n      nodes { __typename }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"): (typeof documents)["\n  query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {\n    search(query: $query, types: $types, first: $first, after: $after) {\n      edges {\n        score\n        cursor\n        node {\n          __typename\n          ... on Work { id title authors { name } }\n          ... on Person { id name works(first: 3) { totalCount } }\n          ... on Project { id name slug }\n          ... on Organization { id name }\n        }\n      }\n      nodes { __typename }\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;