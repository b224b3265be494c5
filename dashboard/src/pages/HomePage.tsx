import { Card, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '../client';
import { EntityLink } from '../components/links';
import { Failure, Loading, useTitle } from '../components/States';
import { graphql } from '../gql';

const Overview = graphql(`
  query DashboardOverview {
    topCitedWorks(first: 10) {
      id
      title
      publicationYear
      citationCount
    }
    projects(first: 20) {
      totalCount
      nodes {
        id
        name
        kind
      }
    }
  }
`);

export function HomePage() {
  useTitle(undefined);
  const { data, error, loading } = useQuery(Overview, {});
  return (
    <Stack>
      <Title order={1}>Citation analytics</Title>
      <Text>
        Search for a person, a work, a software project or an organization above, or start from the most cited works and
        the projects below.
      </Text>
      {loading && <Loading what="the overview" />}
      {error && <Failure error={error} />}
      {data && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Most cited works
            </Title>
            <List spacing="xs">
              {data.topCitedWorks.map((work) => (
                <List.Item key={work.id}>
                  <EntityLink kind="Work" id={work.id}>
                    {work.title ?? 'Untitled'}
                  </EntityLink>{' '}
                  <Text span size="sm" c="dimmed">
                    {work.publicationYear ?? 'n.d.'} · {work.citationCount?.toLocaleString('en') ?? '?'} citations
                  </Text>
                </List.Item>
              ))}
            </List>
          </Card>
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              Software projects ({data.projects.totalCount})
            </Title>
            <List spacing="xs">
              {data.projects.nodes.map((project) => (
                <List.Item key={project.id}>
                  <EntityLink kind="Project" id={project.id}>
                    {project.name}
                  </EntityLink>
                  {project.kind && (
                    <Text span size="sm" c="dimmed">
                      {' '}
                      · {project.kind.toLowerCase()}
                    </Text>
                  )}
                </List.Item>
              ))}
            </List>
          </Card>
        </SimpleGrid>
      )}
    </Stack>
  );
}
