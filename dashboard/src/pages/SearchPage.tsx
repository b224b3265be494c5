import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '../client';
import { plural } from '../components/figures';
import { type EntityKind, EntityLink } from '../components/links';
import { Failure, Loading, Updating, useTitle } from '../components/States';
import { graphql } from '../gql';
import type { SearchType } from '../gql/graphql';

const Search = graphql(`
  query DashboardSearch($query: String!, $types: [SearchType!], $after: String) {
    search(query: $query, types: $types, first: 20, after: $after) {
      edges {
        score
        node {
          __typename
          ... on Person {
            id
            name
            works(first: 1) {
              totalCount
            }
          }
          ... on Work {
            id
            title
            publicationYear
            citationCount
            authors {
              name
            }
          }
          ... on Project {
            id
            name
            kind
          }
          ... on Organization {
            id
            name
            country
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const typeChoices: { value: string; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'PERSON', label: 'People' },
  { value: 'WORK', label: 'Works' },
  { value: 'PROJECT', label: 'Projects' },
  { value: 'ORGANIZATION', label: 'Organizations' },
];

const searchTypes = new Set<string>(['PERSON', 'WORK', 'PROJECT', 'ORGANIZATION']);

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const query = (params.get('q') ?? '').trim();
  const type = params.get('type') ?? 'ALL';
  const after = params.get('after');
  useTitle(query ? `Search: ${query}` : 'Search');
  const types = searchTypes.has(type) ? [type as SearchType] : null;
  const { data, error, loading } = useQuery(
    Search,
    { query: query.slice(0, 200), types, after },
    { skip: query.length === 0 },
  );
  const change = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === null) merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged);
  };
  return (
    <Stack>
      <Group gap="xs" wrap="nowrap">
        <Title order={1}>{query ? `Results for “${query}”` : 'Search'}</Title>
        <Updating active={loading && data !== undefined} />
      </Group>
      <SegmentedControl
        aria-label="What to look through"
        data={typeChoices}
        value={searchTypes.has(type) ? type : 'ALL'}
        onChange={(value) => change({ type: value === 'ALL' ? null : value, after: null })}
        style={{ alignSelf: 'flex-start' }}
      />
      {!query && <Text>Type a name or a title in the search box above.</Text>}
      {loading && !data && <Loading what="results" />}
      {error && <Failure error={error} />}
      {data && data.search.edges.length === 0 && <Text>Nothing matches “{query}”.</Text>}
      {data && data.search.edges.length > 0 && (
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Results">
          {data.search.edges.map(({ node, score }) => {
            const kind = node.__typename as EntityKind;
            return (
              <Card component="li" withBorder padding="sm" key={node.id} data-result-type={kind}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <EntityLink kind={kind} id={node.id}>
                      {node.__typename === 'Work' ? (node.title ?? 'Untitled') : node.name}
                    </EntityLink>
                    <Text size="sm" c="dimmed">
                      {node.__typename === 'Person' && plural(node.works.totalCount, 'work')}
                      {node.__typename === 'Work' &&
                        `${node.authors
                          .slice(0, 3)
                          .map((author) => author.name)
                          .join(
                            ', ',
                          )}${node.authors.length > 3 ? ' et al.' : ''} · ${node.publicationYear ?? 'n.d.'} · ${node.citationCount?.toLocaleString('en') ?? '?'} citations`}
                      {node.__typename === 'Project' && (node.kind ? node.kind.toLowerCase() : 'project')}
                      {node.__typename === 'Organization' && (node.country ?? 'organization')}
                    </Text>
                  </div>
                  <Group gap={6} wrap="nowrap">
                    <Badge variant="light">{kind}</Badge>
                    <Text size="xs" c="dimmed" title="Match score, 0 to 1">
                      {score.toFixed(2)}
                    </Text>
                  </Group>
                </Group>
              </Card>
            );
          })}
        </Stack>
      )}
      <Group>
        {after && (
          <Button variant="default" component={Link} to={`/search?${withoutAfter(params)}`}>
            First page
          </Button>
        )}
        {data?.search.pageInfo.hasNextPage && data.search.pageInfo.endCursor && (
          <Button variant="default" onClick={() => change({ after: data.search.pageInfo.endCursor ?? null })}>
            Next page
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function withoutAfter(params: URLSearchParams): string {
  const copy = new URLSearchParams(params);
  copy.delete('after');
  return copy.toString();
}
