import { Anchor, Badge, Grid, Group, List, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { useQuery } from '../client';
import { HIndexLines, Panel, YearBars } from '../components/charts';
import { formatDate, MetricsTable, plural } from '../components/figures';
import {
  affiliationColors,
  affiliationLegend,
  type Lane,
  Lanes,
  laneGroup,
  periodEnd,
  roleColors,
  roleLayers,
  roleLegend,
  yearOf,
} from '../components/lanes';
import { EntityLink, pathOf } from '../components/links';
import { Failure, Loading, Missing, Updating, useTitle } from '../components/States';
import { graphql } from '../gql';
import type { PersonPageQuery } from '../gql/graphql';

const PersonPageDocument = graphql(`
  query PersonPage($id: ID!, $since: Int!, $from: Int!) {
    person(id: $id) {
      id
      name
      orcid
      otherNames
      sources
      metrics {
        ...Figures
        worksCount
        worksWithoutYearlyCounts
      }
      recent: metrics(since: $since) {
        ...Figures
      }
      reportedMetrics {
        source
        retrievedOn
        citationCount
        hIndex
        i10Index
      }
      hIndexByYear(from: $from) {
        year
        hIndex
        lowerBound
        upperBound
      }
      commitsByMonth {
        project {
          id
          name
        }
        month
        commits
      }
      contributions {
        id
        role
        startDate
        startPrecision
        endDate
        endPrecision
        isCurrent
        commits
        source
        project {
          id
          name
        }
      }
      affiliations {
        id
        kind
        title
        unit
        startDate
        startPrecision
        endDate
        endPrecision
        isCurrent
        status
        source
        organization {
          id
          name
        }
      }
      works(first: 20) {
        totalCount
        nodes {
          id
          title
          publicationYear
          venue
          citationCount
          countBasis {
            kind
            reported {
              source
              retrievedOn
            }
          }
        }
      }
    }
    works(filter: { authorId: $id }, first: 0) {
      citationsByYear {
        year
        count
      }
      citationsWithoutYear
    }
  }

  fragment Figures on CitationMetrics {
    citationCount
    citationCountLowerBound
    citationCountUpperBound
    hIndex
    hIndexLowerBound
    hIndexUpperBound
    i10Index
    i10IndexLowerBound
    i10IndexUpperBound
    unknownReason
  }
`);

type Person = NonNullable<PersonPageQuery['person']>;

const thisYear = new Date().getUTCFullYear();

export function PersonPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const since = Number(params.get('since')) || thisYear - 5;
  const from = Number(params.get('from')) || thisYear - 15;
  const { data, error, loading } = useQuery(PersonPageDocument, { id, since, from });
  const person = data?.person;
  useTitle(person?.name ?? (loading ? undefined : 'Person'));
  const choose = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="the person" />;
  if (!person) return <Missing what="person" />;
  const yearChoices = Array.from({ length: 40 }, (_, index) => String(thisYear - index));
  return (
    <Stack>
      <div>
        <Group gap="xs" wrap="nowrap">
          <Title order={1}>{person.name}</Title>
          <Updating active={loading} />
        </Group>
        <Text c="dimmed" size="sm">
          {plural(person.metrics.worksCount, 'work')}
          {person.otherNames.length > 0 && ` · also ${person.otherNames.slice(0, 3).join(', ')}`}
          {person.orcid && (
            <>
              {' · ORCID '}
              <Anchor href={`https://orcid.org/${person.orcid}`} rel="noreferrer">
                {person.orcid}
              </Anchor>
            </>
          )}
        </Text>
      </div>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Panel
            title="Cited by"
            testId="person-metrics"
            source={
              <>
                Each work counts under its count basis (see the works below).{' '}
                {person.recent.unknownReason
                  ? `Since ${since}, a range: ${person.recent.unknownReason}`
                  : `Since ${since}: from the works' per-year counts.`}
              </>
            }
          >
            <Group justify="flex-end" mb="xs">
              <NativeSelect
                label="Since"
                size="xs"
                data={yearChoices}
                value={String(since)}
                onChange={(event) => choose('since', event.currentTarget.value)}
              />
            </Group>
            <MetricsTable all={person.metrics} since={person.recent} sinceYear={since} />
            <ReportedMetrics person={person} />
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Panel
            title="Citations per year"
            testId="citations-per-year"
            source={`Summed over the per-year counts of the works. ${data.works.citationsWithoutYear.toLocaleString('en')} citations have no year (works without per-year counts, and years before a source's coverage) and are not drawn.`}
          >
            <YearBars data={data.works.citationsByYear} label="Citations" />
          </Panel>
        </Grid.Col>
      </Grid>
      <Panel
        title="h-index over time"
        testId="h-index-by-year"
        source="As it stood at the end of each year. Where per-year counts leave it open the line breaks, and the dashed lines give the range the data allows."
      >
        <Group justify="flex-end" mb="xs">
          <NativeSelect
            label="From"
            size="xs"
            data={yearChoices}
            value={String(from)}
            onChange={(event) => choose('from', event.currentTarget.value)}
          />
        </Group>
        <HIndexLines data={person.hIndexByYear} />
      </Panel>
      <Panel
        title="Framework involvement"
        testId="involvement"
        source="Roles from contribution records (bars, each with its source); commits per month from the projects' monthly git activity. Projects without activity history show roles only."
      >
        <Lanes
          lanes={involvementLanes(person)}
          legend={roleLegend}
          title={`${person.name}'s roles and commits per project over time`}
          intensityLabel="Commits"
          testId="involvement-lanes"
        />
      </Panel>
      <Panel
        title="Affiliations"
        testId="affiliations"
        source="Dated affiliations are drawn; undated ones are listed. Reported positions are unconfirmed by their source."
      >
        <Lanes
          lanes={affiliationLanes(person)}
          legend={affiliationLegend}
          title={`${person.name}'s affiliations over time`}
          testId="affiliation-lanes"
        />
        <UndatedAffiliations person={person} />
      </Panel>
      <Panel
        title="Most cited works"
        testId="top-works"
        source="Citation counts under each work's count basis: the source named, or the citation edges stored in citegraph."
      >
        <Table.ScrollContainer minWidth={520}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th ta="right">Cited by</Table.Th>
                <Table.Th ta="right">Year</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.works.nodes.map((work) => (
                <Table.Tr key={work.id}>
                  <Table.Td>
                    <EntityLink kind="Work" id={work.id}>
                      {work.title ?? 'Untitled'}
                    </EntityLink>
                    <Text size="xs" c="dimmed">
                      {work.venue ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    {work.citationCount?.toLocaleString('en') ?? '?'}
                    <Text size="xs" c="dimmed">
                      {work.countBasis.kind === 'REPORTED' && work.countBasis.reported
                        ? `${work.countBasis.reported.source}, ${work.countBasis.reported.retrievedOn}`
                        : 'citegraph edges'}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{work.publicationYear ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {person.works.totalCount > person.works.nodes.length && (
          <Text size="sm" c="dimmed" mt="xs">
            The {person.works.nodes.length} most cited of {plural(person.works.totalCount, 'work')}.
          </Text>
        )}
      </Panel>
      <Text size="xs" c="dimmed">
        Sources of this record: {person.sources.join(', ') || 'none named'}.
      </Text>
    </Stack>
  );
}

function ReportedMetrics({ person }: { person: Person }) {
  if (person.reportedMetrics.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" mt="xs">
      Reported elsewhere:{' '}
      {person.reportedMetrics
        .map(
          (reported) =>
            `${reported.source} (${reported.retrievedOn}): ${[
              reported.citationCount !== null && reported.citationCount !== undefined
                ? `${reported.citationCount.toLocaleString('en')} citations`
                : null,
              reported.hIndex !== null && reported.hIndex !== undefined ? `h-index ${reported.hIndex}` : null,
              reported.i10Index !== null && reported.i10Index !== undefined ? `i10-index ${reported.i10Index}` : null,
            ]
              .filter(Boolean)
              .join(', ')}`,
        )
        .join('; ')}
    </Text>
  );
}

/** One lane per project, in order of first involvement: role periods, and commits per month. */
function involvementLanes(person: Person): Lane[] {
  const lanes = laneGroup();
  const laneOf = (project: { id: string; name: string }, start: number) =>
    lanes.lane(project.id, project.name, pathOf('Project', project.id), start);
  for (const contribution of person.contributions) {
    const start = yearOf(contribution.startDate, contribution.startPrecision);
    laneOf(contribution.project, start).intervals.push({
      start,
      end: periodEnd(contribution) ?? start,
      label: `${contribution.role.toLowerCase()}${contribution.commits ? `, ${plural(contribution.commits, 'commit')}` : ''} (${contribution.source})`,
      color: roleColors[contribution.role] ?? '#868e96',
      open: contribution.isCurrent,
      layer: roleLayers[contribution.role] ?? 0,
    });
  }
  for (const row of person.commitsByMonth) {
    const start = yearOf(row.month);
    laneOf(row.project, start).intensity?.push({
      start,
      span: 1 / 12,
      value: row.commits,
      label: monthName(row.month),
    });
  }
  return lanes.sorted();
}

/** One lane per organization with dated affiliations. */
function affiliationLanes(person: Person): Lane[] {
  const lanes = laneGroup();
  for (const affiliation of person.affiliations) {
    if (!affiliation.startDate) continue;
    const start = yearOf(affiliation.startDate, affiliation.startPrecision);
    const { organization } = affiliation;
    lanes.lane(organization.id, organization.name, pathOf('Organization', organization.id), start).intervals.push({
      start,
      end: periodEnd(affiliation) ?? start,
      label: `${[affiliation.title, affiliation.unit].filter(Boolean).join(', ') || affiliation.kind.toLowerCase()}${affiliation.status === 'REPORTED' ? ' (reported)' : ''}`,
      color: affiliationColors[affiliation.kind] ?? '#868e96',
      open: affiliation.isCurrent,
    });
  }
  return lanes.sorted();
}

function UndatedAffiliations({ person }: { person: Person }) {
  const undated = person.affiliations.filter((affiliation) => !affiliation.startDate);
  if (undated.length === 0) return null;
  return (
    <List size="sm" mt="sm" spacing={2}>
      {undated.map((affiliation) => (
        <List.Item key={affiliation.id}>
          <EntityLink kind="Organization" id={affiliation.organization.id}>
            {affiliation.organization.name}
          </EntityLink>{' '}
          <Text span size="sm" c="dimmed">
            {[affiliation.title, affiliation.kind.toLowerCase()].filter(Boolean).join(', ')}
            {affiliation.isCurrent && ', to date'}
            {affiliation.endDate && `, until ${formatDate(affiliation.endDate, affiliation.endPrecision)}`}
          </Text>{' '}
          {affiliation.status === 'REPORTED' && (
            <Badge size="xs" variant="outline" color="gray">
              reported
            </Badge>
          )}
        </List.Item>
      ))}
    </List>
  );
}

/** "June 2014" for "2014-06-01". */
function monthName(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}
