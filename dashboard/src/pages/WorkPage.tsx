import { Anchor, Button, Code, Grid, Group, List, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { useQuery } from '../client';
import { Panel, YearBars } from '../components/charts';
import { plural } from '../components/figures';
import { EntityLink } from '../components/links';
import { Failure, Loading, Missing, Updating, useTitle } from '../components/States';
import { graphql } from '../gql';
import type { WorkPageQuery } from '../gql/graphql';

const WorkPageDocument = graphql(`
  query WorkPage($id: ID!, $citedAfter: String) {
    work(id: $id) {
      id
      title
      publicationYear
      venue
      type
      doi
      url
      arxivId
      openalexId
      sources
      citationCount
      authorships {
        position
        affiliation
        person {
          id
          name
        }
      }
      projects {
        id
        name
      }
      countBasis {
        kind
        hasYearlyCounts
        citationsWithoutYear
        reported {
          source
          retrievedOn
          sourceRecord
        }
      }
      citationCountSources {
        source
        value
        retrievedOn
        isBasis
      }
      citationsByYear {
        year
        count
      }
      citedBy(first: 10, after: $citedAfter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          title
          publicationYear
          citationCount
        }
      }
      coCitedWith(first: 10) {
        totalCount
        exact
        scannedWorks
        edges {
          count
          node {
            id
            title
            publicationYear
          }
        }
      }
      bibtex
      ris
      cslJson
    }
  }
`);

type Work = NonNullable<WorkPageQuery['work']>;

const formats = [
  { value: 'bibtex', label: 'BibTeX', extension: 'bib', type: 'application/x-bibtex' },
  { value: 'ris', label: 'RIS', extension: 'ris', type: 'application/x-research-info-systems' },
  { value: 'csl-json', label: 'CSL-JSON', extension: 'json', type: 'application/vnd.citationstyles.csl+json' },
] as const;

export function WorkPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const citedAfter = params.get('citedAfter');
  const { data, error, loading } = useQuery(WorkPageDocument, { id, citedAfter });
  const work = data?.work;
  useTitle(work?.title ?? undefined);
  const change = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };
  if (error) return <Failure error={error} />;
  if (!data) return <Loading what="the work" />;
  if (!work) return <Missing what="work" />;
  const basis = work.countBasis;
  return (
    <Stack>
      <div>
        <Group gap="xs" wrap="nowrap">
          <Title order={1}>{work.title ?? 'Untitled'}</Title>
          <Updating active={loading} />
        </Group>
        <Text size="sm" mt={4}>
          {work.authorships.map((authorship, index) => (
            <span key={authorship.position}>
              {index > 0 && ', '}
              <EntityLink kind="Person" id={authorship.person.id}>
                {authorship.person.name}
              </EntityLink>
            </span>
          ))}
        </Text>
        <Text c="dimmed" size="sm">
          {[work.venue, work.publicationYear, work.type?.toLowerCase().replace('_', ' ')].filter(Boolean).join(' · ')}
          {work.doi && (
            <>
              {' · DOI '}
              <Anchor href={`https://doi.org/${work.doi}`} rel="noreferrer">
                {work.doi}
              </Anchor>
            </>
          )}
        </Text>
        {work.projects.length > 0 && (
          <Text size="sm">
            Describes{' '}
            {work.projects.map((project, index) => (
              <span key={project.id}>
                {index > 0 && ', '}
                <EntityLink kind="Project" id={project.id}>
                  {project.name}
                </EntityLink>
              </span>
            ))}
          </Text>
        )}
      </div>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Panel title={`Cited by ${work.citationCount?.toLocaleString('en') ?? '?'}`} testId="work-count">
            <Text size="sm" mb="xs">
              {basis.kind === 'REPORTED' && basis.reported
                ? `Count basis: ${basis.reported.source}, retrieved ${basis.reported.retrievedOn}.`
                : 'Count basis: the citing works stored in citegraph.'}
            </Text>
            <Table fz="sm" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Source</Table.Th>
                  <Table.Th ta="right">Citations</Table.Th>
                  <Table.Th ta="right">As of</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {work.citationCountSources.map((source) => (
                  <Table.Tr key={`${source.source}${source.retrievedOn}`} fw={source.isBasis ? 700 : undefined}>
                    <Table.Td>
                      {source.source}
                      {source.isBasis && ' (basis)'}
                    </Table.Td>
                    <Table.Td ta="right">{source.value.toLocaleString('en')}</Table.Td>
                    <Table.Td ta="right">{source.retrievedOn ?? 'now'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Panel
            title="Citations per year"
            testId="work-citations-per-year"
            source={
              basis.hasYearlyCounts
                ? `Per-year counts of the count basis${basis.citationsWithoutYear ? `; ${plural(basis.citationsWithoutYear, 'citation')} without a year are not drawn` : ''}.`
                : undefined
            }
          >
            {work.citationsByYear ? (
              <YearBars data={work.citationsByYear} label="Citations" />
            ) : (
              <Text c="dimmed" size="sm">
                The count basis gives no per-year counts for this work, so its citations cannot be placed in years.
              </Text>
            )}
          </Panel>
        </Grid.Col>
      </Grid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Panel
            title={`Citing works in citegraph (${work.citedBy.totalCount.toLocaleString('en')})`}
            testId="citing-works"
            source="The works stored here that cite this one, most cited first; usually fewer than a source's total."
          >
            <WorkList works={work.citedBy.nodes} />
            <Group mt="sm">
              {citedAfter && (
                <Button variant="default" size="xs" onClick={() => change('citedAfter', null)}>
                  First page
                </Button>
              )}
              {work.citedBy.pageInfo.hasNextPage && (
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => change('citedAfter', work.citedBy.pageInfo.endCursor ?? null)}
                >
                  Next page
                </Button>
              )}
            </Group>
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Panel
            title="Cited together with"
            testId="co-cited"
            source={`Counted over ${plural(work.coCitedWith.scannedWorks, 'citing work')}${work.coCitedWith.exact ? '' : ' (the scan bound left some out)'}; ${plural(work.coCitedWith.totalCount, 'work')} co-cited at least once.`}
          >
            <List size="sm" spacing={4}>
              {work.coCitedWith.edges.map((edge) => (
                <List.Item key={edge.node.id}>
                  <EntityLink kind="Work" id={edge.node.id}>
                    {edge.node.title ?? 'Untitled'}
                  </EntityLink>{' '}
                  <Text span size="xs" c="dimmed">
                    {edge.node.publicationYear} · together {plural(edge.count, 'time')}
                  </Text>
                </List.Item>
              ))}
            </List>
            {work.coCitedWith.edges.length === 0 && <Text c="dimmed">No co-citations.</Text>}
          </Panel>
        </Grid.Col>
      </Grid>
      <Exports work={work} />
    </Stack>
  );
}

function WorkList({ works }: { works: Work['citedBy']['nodes'] }) {
  if (works.length === 0) return <Text c="dimmed">None stored.</Text>;
  return (
    <List size="sm" spacing={4}>
      {works.map((citing) => (
        <List.Item key={citing.id}>
          <EntityLink kind="Work" id={citing.id}>
            {citing.title ?? 'Untitled'}
          </EntityLink>{' '}
          <Text span size="xs" c="dimmed">
            {citing.publicationYear} · {citing.citationCount?.toLocaleString('en') ?? '?'} citations
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

function Exports({ work }: { work: Work }) {
  const [params, setParams] = useSearchParams();
  const format = formats.find((entry) => entry.value === params.get('export')) ?? formats[0];
  const text =
    format.value === 'bibtex' ? work.bibtex : format.value === 'ris' ? work.ris : JSON.stringify(work.cslJson, null, 2);
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: format.type }));
    link.download = `${work.doi?.replace(/[^\w.-]+/g, '_') ?? 'work'}.${format.extension}`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Panel title="Cite" testId="exports">
      <Group mb="xs">
        <SegmentedControl
          aria-label="Export format"
          size="xs"
          data={formats.map(({ value, label }) => ({ value, label }))}
          value={format.value}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            next.set('export', value);
            setParams(next, { replace: true });
          }}
        />
        <Button size="xs" variant="light" onClick={download}>
          Download .{format.extension}
        </Button>
      </Group>
      <Code block data-testid="export-text" style={{ maxHeight: 240, overflow: 'auto' }}>
        {text}
      </Code>
    </Panel>
  );
}
