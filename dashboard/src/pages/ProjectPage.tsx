import { BarChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Button,
  Grid,
  Group,
  MultiSelect,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { useQuery } from '../client';
import { Panel, YearBars } from '../components/charts';
import { formatDate, plural } from '../components/figures';
import { type Lane, Lanes, periodEnd, roleColors, roleLayers, roleLegend, yearOf } from '../components/lanes';
import { EntityLink, pathOf } from '../components/links';
import { Failure, Loading, Missing, Updating, useTitle } from '../components/States';
import { graphql } from '../gql';
import type { ContributionRole, ProjectAlignBy, ProjectComparisonMetric, ProjectPageQuery } from '../gql/graphql';

const ProjectPageDocument = graphql(`
  query ProjectPage($id: ID!, $role: ContributionRole, $after: String) {
    project(id: $id) {
      id
      name
      slug
      kind
      description
      repositoryUrl
      startedOn
      startedPrecision
      source
      metrics {
        citationCount
        hIndex
        worksCount
      }
      impactTimeline {
        contributors
        worksWithoutYearlyCounts
        years {
          year
          commits
          activeContributors
          newContributors
          citations
        }
      }
      works {
        id
        title
        publicationYear
        citationCount
      }
      contributors(first: 25, after: $after, role: $role) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          person {
            id
            name
          }
          roles
          firstActive
          lastActive
          commits
          periods {
            id
            role
            startDate
            startPrecision
            endDate
            endPrecision
            isCurrent
            source
          }
        }
      }
    }
    projects(first: 50) {
      nodes {
        id
        name
      }
    }
  }
`);

const CompareDocument = graphql(`
  query CompareProjects($ids: [ID!]!, $alignBy: ProjectAlignBy!, $metric: ProjectComparisonMetric!) {
    compareProjects(ids: $ids, alignBy: $alignBy, metric: $metric) {
      project {
        id
        name
      }
      year0
      peakYear
      peakValue
      growth
      unknownReason
      points {
        offset
        year
        value
      }
    }
  }
`);

type Project = NonNullable<ProjectPageQuery['project']>;

const roles: ContributionRole[] = ['CREATOR', 'LEAD', 'MAINTAINER', 'CONTRIBUTOR'];
const palette = ['blue.6', 'orange.6', 'grape.6', 'teal.6', 'red.6', 'lime.7', 'indigo.6', 'pink.6'];

export function ProjectPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const roleParam = params.get('role');
  const role = roles.includes(roleParam as ContributionRole) ? (roleParam as ContributionRole) : null;
  const after = params.get('after');
  const { data, error, loading } = useQuery(ProjectPageDocument, { id, role, after });
  const project = data?.project;
  useTitle(project?.name);
  const change = (next: Record<string, string | null>) => {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value === null || value === '') merged.delete(key);
      else merged.set(key, value);
    }
    setParams(merged, { replace: true });
  };
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="the project" />;
  if (!project) return <Missing what="project" />;
  const years = project.impactTimeline.years;
  const undated = project.impactTimeline.worksWithoutYearlyCounts;
  return (
    <Stack>
      <div>
        <Group gap="xs" wrap="nowrap">
          <Title order={1}>{project.name}</Title>
          <Updating active={loading} />
        </Group>
        <Text c="dimmed" size="sm">
          {[
            project.kind?.toLowerCase(),
            project.startedOn && `started ${formatDate(project.startedOn, project.startedPrecision)}`,
            plural(project.impactTimeline.contributors, 'contributor'),
          ]
            .filter(Boolean)
            .join(' · ')}
          {project.repositoryUrl && (
            <>
              {' · '}
              <Anchor href={project.repositoryUrl} rel="noreferrer">
                repository
              </Anchor>
            </>
          )}
        </Text>
        {project.description && <Text mt="xs">{project.description}</Text>}
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Panel
          title="Commits per year"
          testId="commits-per-year"
          source={`From the project's git history (${project.source}), including commits credited to nobody.`}
        >
          <YearBars data={years.map((year) => ({ year: year.year, count: year.commits }))} label="Commits" />
        </Panel>
        <Panel
          title="Active contributors per year"
          testId="contributors-per-year"
          source="Distinct people with a commit that year; new: whose first involvement falls in that year."
        >
          <BarChart
            h={220}
            data={years.map((year) => ({
              year: String(year.year),
              Active: year.activeContributors,
              New: year.newContributors,
            }))}
            dataKey="year"
            series={[
              { name: 'Active', color: 'teal.6' },
              { name: 'New', color: 'orange.5' },
            ]}
            withLegend
            tickLine="y"
            gridAxis="y"
          />
        </Panel>
      </SimpleGrid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Panel
            title="Citations to its works per year"
            testId="project-citations"
            source={`Summed over the per-year counts of the ${plural(project.works.length, 'work')} linked to ${project.name}${undated > 0 ? `; ${plural(undated, 'work')} without per-year counts ${undated === 1 ? 'adds' : 'add'} nothing here` : ''}.`}
          >
            {undated > 0 && undated === project.works.length ? (
              <Text c="dimmed" size="sm">
                None of its linked works has per-year citation counts, so their citations cannot be placed in years.
              </Text>
            ) : (
              <YearBars data={years.map((year) => ({ year: year.year, count: year.citations }))} label="Citations" />
            )}
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Panel title="Its works" testId="project-works">
            <Text size="sm" mb="xs">
              {project.metrics.citationCount?.toLocaleString('en') ?? '?'} citations, h-index{' '}
              {project.metrics.hIndex ?? '?'}
            </Text>
            <Stack gap={4}>
              {project.works.map((work) => (
                <Text size="sm" key={work.id}>
                  <EntityLink kind="Work" id={work.id}>
                    {work.title ?? 'Untitled'}
                  </EntityLink>{' '}
                  <Text span size="xs" c="dimmed">
                    {work.publicationYear} · {work.citationCount?.toLocaleString('en') ?? '?'} citations
                  </Text>
                </Text>
              ))}
              {project.works.length === 0 && <Text c="dimmed">No linked works.</Text>}
            </Stack>
          </Panel>
        </Grid.Col>
      </Grid>
      <Panel
        title="Contributors over time"
        testId="contributors"
        source="Each person's contribution periods and roles, with the record they come from; commits counted once per person."
      >
        <Group mb="sm" justify="space-between">
          <NativeSelect
            label="Role"
            size="xs"
            data={[{ value: '', label: 'Any role' }, ...roles.map((value) => ({ value, label: value.toLowerCase() }))]}
            value={role ?? ''}
            onChange={(event) => change({ role: event.currentTarget.value, after: null })}
          />
          <Text size="sm" c="dimmed">
            {plural(project.contributors.totalCount, 'person', 'people')}
          </Text>
        </Group>
        <Lanes
          lanes={contributorLanes(project)}
          legend={roleLegend}
          title={`${project.name}'s contributors and their roles over time`}
          testId="contributor-lanes"
        />
        <Table.ScrollContainer minWidth={560} mt="sm">
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Who</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th ta="right">Commits</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {project.contributors.nodes.map((contributor) => (
                <Table.Tr key={contributor.person.id}>
                  <Table.Td>
                    <EntityLink kind="Person" id={contributor.person.id}>
                      {contributor.person.name}
                    </EntityLink>
                  </Table.Td>
                  <Table.Td>{contributor.roles.map((value) => value.toLowerCase()).join(', ')}</Table.Td>
                  <Table.Td>
                    {contributor.firstActive.slice(0, 7)} – {contributor.lastActive?.slice(0, 7) ?? 'to date'}
                  </Table.Td>
                  <Table.Td ta="right">{contributor.commits?.toLocaleString('en') ?? '–'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group mt="sm">
          {after && (
            <Button variant="default" size="xs" onClick={() => change({ after: null })}>
              First page
            </Button>
          )}
          {project.contributors.pageInfo.hasNextPage && (
            <Button
              variant="default"
              size="xs"
              onClick={() => change({ after: project.contributors.pageInfo.endCursor ?? null })}
            >
              Next page
            </Button>
          )}
        </Group>
      </Panel>
      <Comparison project={project} others={data.projects.nodes} />
    </Stack>
  );
}

function contributorLanes(project: Project): Lane[] {
  return project.contributors.nodes.map((contributor) => ({
    key: contributor.person.id,
    label: contributor.person.name,
    href: pathOf('Person', contributor.person.id),
    intervals: contributor.periods.map((period) => {
      const start = yearOf(period.startDate, period.startPrecision);
      return {
        start,
        end: periodEnd(period) ?? start,
        label: `${period.role.toLowerCase()} (${period.source})`,
        color: roleColors[period.role] ?? '#868e96',
        open: period.isCurrent,
        layer: roleLayers[period.role] ?? 0,
      };
    }),
  }));
}

const alignments: { value: ProjectAlignBy; label: string }[] = [
  { value: 'FIRST_COMMIT', label: 'First commit' },
  { value: 'FIRST_PAPER', label: 'First paper' },
];
const metrics: { value: ProjectComparisonMetric; label: string }[] = [
  { value: 'COMMITS', label: 'Commits' },
  { value: 'CONTRIBUTORS', label: 'Contributors' },
  { value: 'CITATIONS', label: 'Citations' },
];

/** The project beside others, each aligned at its own year 0. */
function Comparison({ project, others }: { project: Project; others: { id: string; name: string }[] }) {
  const [params, setParams] = useSearchParams();
  const alignParam = params.get('align');
  const metricParam = params.get('metric');
  const alignBy = alignments.find((entry) => entry.value === alignParam)?.value ?? 'FIRST_COMMIT';
  const metric = metrics.find((entry) => entry.value === metricParam)?.value ?? 'COMMITS';
  const chosen = params.get('compare');
  const ids = [
    project.id,
    ...(chosen === null
      ? others.filter((other) => other.id !== project.id).map((other) => other.id)
      : chosen.split(',').filter((other) => other && other !== project.id)),
  ].slice(0, 8);
  const { data, error, loading } = useQuery(CompareDocument, { ids, alignBy, metric });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const series = data?.compareProjects ?? [];
  const offsets = [...new Set(series.flatMap((entry) => entry.points.map((point) => point.offset)))].sort(
    (a, b) => a - b,
  );
  const rows = offsets.map((offset) => {
    const row: Record<string, number | string | null> = { offset: `year ${offset}` };
    for (const entry of series) {
      row[entry.project.name] = entry.points.find((point) => point.offset === offset)?.value ?? null;
    }
    return row;
  });
  return (
    <Panel
      title="Compared with other projects"
      testId="comparison"
      source="Each project's series starts at its own year 0: the year of its first recorded commit, or of its first linked paper."
    >
      <Group mb="sm" align="flex-end">
        <SegmentedControl
          aria-label="Align at"
          size="xs"
          data={alignments}
          value={alignBy}
          onChange={(value) => set('align', value)}
        />
        <SegmentedControl
          aria-label="Compare by"
          size="xs"
          data={metrics}
          value={metric}
          onChange={(value) => set('metric', value)}
        />
        <MultiSelect
          aria-label="Projects to compare with"
          size="xs"
          style={{ flex: 1, minWidth: 220 }}
          data={others
            .filter((other) => other.id !== project.id)
            .map((other) => ({ value: other.id, label: other.name }))}
          value={ids.slice(1)}
          onChange={(value) => set('compare', value.join(','))}
          maxValues={7}
        />
      </Group>
      {loading && !data && <Loading what="the comparison" />}
      {error && <Failure error={error} />}
      {data && rows.length > 0 && (
        <LineChart
          h={260}
          data={rows}
          dataKey="offset"
          series={series.map((entry, index) => ({
            name: entry.project.name,
            color: palette[index % palette.length] ?? 'blue.6',
          }))}
          withLegend
          connectNulls={false}
          tickLine="y"
          gridAxis="y"
          valueFormatter={(value) => value.toLocaleString('en')}
        />
      )}
      {data && (
        <Table mt="sm" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Project</Table.Th>
              <Table.Th ta="right">Year 0</Table.Th>
              <Table.Th ta="right">Peak</Table.Th>
              <Table.Th ta="right">Growth to peak</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {series.map((entry) => (
              <Table.Tr key={entry.project.id}>
                <Table.Td>
                  <EntityLink kind="Project" id={entry.project.id}>
                    {entry.project.name}
                  </EntityLink>
                </Table.Td>
                <Table.Td ta="right">{entry.year0 ?? entry.unknownReason ?? '–'}</Table.Td>
                <Table.Td ta="right">
                  {entry.peakYear ? `${entry.peakValue?.toLocaleString('en')} in ${entry.peakYear}` : '–'}
                </Table.Td>
                <Table.Td ta="right">
                  {entry.growth === null || entry.growth === undefined
                    ? '–'
                    : `${entry.growth >= 0 ? '+' : ''}${Math.round(entry.growth * 100)}% a year`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}
