import { Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useQuery } from '../client';
import { Panel, YearBars } from '../components/charts';
import { plural } from '../components/figures';
import {
  affiliationColors,
  affiliationLegend,
  type Lane,
  Lanes,
  laneGroup,
  periodEnd,
  yearOf,
} from '../components/lanes';
import { EntityLink, pathOf } from '../components/links';
import { Failure, Loading, Missing, Updating, useTitle } from '../components/States';
import { graphql } from '../gql';
import type { OrganizationPageQuery } from '../gql/graphql';

const OrganizationPageDocument = graphql(`
  query OrganizationPage($id: ID!) {
    organization(id: $id) {
      id
      name
      country
      ror
      metrics {
        citationCount
        hIndex
        i10Index
        worksCount
      }
      citationsByYear {
        year
        count
      }
      citationsWithoutYear
      affiliations(first: 100) {
        totalCount
        nodes {
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
        person {
          id
          name
        }
        }
      }
    }
  }
`);

type Organization = NonNullable<OrganizationPageQuery['organization']>;

export function OrganizationPage() {
  const { id = '' } = useParams();
  const { data, error, loading } = useQuery(OrganizationPageDocument, { id });
  const organization = data?.organization;
  useTitle(organization?.name);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="the organization" />;
  if (!organization) return <Missing what="organization" />;
  const shown = organization.affiliations.nodes;
  const total = organization.affiliations.totalCount;
  const undated = shown.filter((affiliation) => !affiliation.startDate);
  // Its people are counted when every position is on the page; otherwise its positions are.
  const people =
    shown.length === total
      ? plural(new Set(shown.map((affiliation) => affiliation.person.id)).size, 'person', 'people')
      : plural(total, 'position');
  return (
    <Stack>
      <div>
        <Group gap="xs" wrap="nowrap">
          <Title order={1}>{organization.name}</Title>
          <Updating active={loading} />
        </Group>
        <Text c="dimmed" size="sm">
          {[organization.country, people, plural(organization.metrics.worksCount, 'work')].filter(Boolean).join(' · ')}
        </Text>
      </div>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Panel
            title="Its works"
            testId="organization-metrics"
            source="Works that print it as an author's institution, or that an author published during a dated affiliation with it."
          >
            <Text>{organization.metrics.citationCount?.toLocaleString('en') ?? '?'} citations</Text>
            <Text>h-index {organization.metrics.hIndex ?? '?'}</Text>
            <Text>i10-index {organization.metrics.i10Index ?? '?'}</Text>
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Panel
            title="Citations per year"
            testId="organization-citations"
            source={`Summed over its works' per-year counts; ${plural(organization.citationsWithoutYear, 'citation')} no per-year count places are not drawn.`}
          >
            <YearBars data={organization.citationsByYear} label="Citations" />
          </Panel>
        </Grid.Col>
      </Grid>
      <Panel
        title="People over time"
        testId="people"
        source={`Dated affiliations are drawn; undated ones are listed.${
          shown.length < total
            ? ` The ${shown.length} earliest of ${total.toLocaleString('en')} positions are shown.`
            : ''
        }`}
      >
        <Lanes
          lanes={peopleLanes(organization)}
          legend={affiliationLegend}
          title={`People at ${organization.name} over time`}
          testId="people-lanes"
        />
        {undated.length > 0 && (
          <List size="sm" mt="sm" spacing={2}>
            {undated.map((affiliation) => (
              <List.Item key={affiliation.id}>
                <EntityLink kind="Person" id={affiliation.person.id}>
                  {affiliation.person.name}
                </EntityLink>{' '}
                <Text span size="sm" c="dimmed">
                  {[affiliation.title, affiliation.kind.toLowerCase(), affiliation.status === 'REPORTED' && 'reported']
                    .filter(Boolean)
                    .join(', ')}
                  {affiliation.isCurrent && ', to date'}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Panel>
    </Stack>
  );
}

function peopleLanes(organization: Organization): Lane[] {
  const lanes = laneGroup();
  for (const affiliation of organization.affiliations.nodes) {
    if (!affiliation.startDate) continue;
    const start = yearOf(affiliation.startDate, affiliation.startPrecision);
    const { person } = affiliation;
    lanes.lane(person.id, person.name, pathOf('Person', person.id), start).intervals.push({
      start,
      end: periodEnd(affiliation) ?? start,
      label: [affiliation.title, affiliation.unit].filter(Boolean).join(', ') || affiliation.kind.toLowerCase(),
      color: affiliationColors[affiliation.kind] ?? '#868e96',
      open: affiliation.isCurrent,
    });
  }
  return lanes.sorted();
}
