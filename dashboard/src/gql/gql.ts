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
    "\n  query DashboardOverview {\n    topCitedWorks(first: 10) {\n      id\n      title\n      publicationYear\n      citationCount\n    }\n    projects(first: 20) {\n      totalCount\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n": typeof types.DashboardOverviewDocument,
    "\n  query DashboardSearch($query: String!, $types: [SearchType!], $after: String) {\n    search(query: $query, types: $types, first: 20, after: $after) {\n      edges {\n        score\n        node {\n          __typename\n          ... on Person {\n            id\n            name\n            works(first: 1) {\n              totalCount\n            }\n          }\n          ... on Work {\n            id\n            title\n            publicationYear\n            citationCount\n            authors {\n              name\n            }\n          }\n          ... on Project {\n            id\n            name\n            kind\n          }\n          ... on Organization {\n            id\n            name\n            country\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.DashboardSearchDocument,
};
const documents: Documents = {
    "\n  query DashboardOverview {\n    topCitedWorks(first: 10) {\n      id\n      title\n      publicationYear\n      citationCount\n    }\n    projects(first: 20) {\n      totalCount\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n": types.DashboardOverviewDocument,
    "\n  query DashboardSearch($query: String!, $types: [SearchType!], $after: String) {\n    search(query: $query, types: $types, first: 20, after: $after) {\n      edges {\n        score\n        node {\n          __typename\n          ... on Person {\n            id\n            name\n            works(first: 1) {\n              totalCount\n            }\n          }\n          ... on Work {\n            id\n            title\n            publicationYear\n            citationCount\n            authors {\n              name\n            }\n          }\n          ... on Project {\n            id\n            name\n            kind\n          }\n          ... on Organization {\n            id\n            name\n            country\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.DashboardSearchDocument,
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
export function graphql(source: "\n  query DashboardOverview {\n    topCitedWorks(first: 10) {\n      id\n      title\n      publicationYear\n      citationCount\n    }\n    projects(first: 20) {\n      totalCount\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n"): (typeof documents)["\n  query DashboardOverview {\n    topCitedWorks(first: 10) {\n      id\n      title\n      publicationYear\n      citationCount\n    }\n    projects(first: 20) {\n      totalCount\n      nodes {\n        id\n        name\n        kind\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardSearch($query: String!, $types: [SearchType!], $after: String) {\n    search(query: $query, types: $types, first: 20, after: $after) {\n      edges {\n        score\n        node {\n          __typename\n          ... on Person {\n            id\n            name\n            works(first: 1) {\n              totalCount\n            }\n          }\n          ... on Work {\n            id\n            title\n            publicationYear\n            citationCount\n            authors {\n              name\n            }\n          }\n          ... on Project {\n            id\n            name\n            kind\n          }\n          ... on Organization {\n            id\n            name\n            country\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query DashboardSearch($query: String!, $types: [SearchType!], $after: String) {\n    search(query: $query, types: $types, first: 20, after: $after) {\n      edges {\n        score\n        node {\n          __typename\n          ... on Person {\n            id\n            name\n            works(first: 1) {\n              totalCount\n            }\n          }\n          ... on Work {\n            id\n            title\n            publicationYear\n            citationCount\n            authors {\n              name\n            }\n          }\n          ... on Project {\n            id\n            name\n            kind\n          }\n          ... on Organization {\n            id\n            name\n            country\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;