import { Table, Text, Tooltip } from '@mantine/core';

export interface MetricFigures {
  citationCount?: number | null;
  citationCountLowerBound: number;
  citationCountUpperBound: number;
  hIndex?: number | null;
  hIndexLowerBound: number;
  hIndexUpperBound: number;
  i10Index?: number | null;
  i10IndexLowerBound: number;
  i10IndexUpperBound: number;
  unknownReason?: string | null;
}

/** A figure where it is known; otherwise the range the data allows, as "a–b". */
export function bounded(value: number | null | undefined, lower: number, upper: number): string {
  if (value !== null && value !== undefined) return value.toLocaleString('en');
  return `${lower.toLocaleString('en')}–${upper.toLocaleString('en')}`;
}

/** Google Scholar's table: citations, h-index and i10-index, all time and since a year. */
export function MetricsTable({
  all,
  since,
  sinceYear,
}: {
  all: MetricFigures;
  since: MetricFigures;
  sinceYear: number;
}) {
  const rows: [string, (figures: MetricFigures) => string][] = [
    ['Citations', (f) => bounded(f.citationCount, f.citationCountLowerBound, f.citationCountUpperBound)],
    ['h-index', (f) => bounded(f.hIndex, f.hIndexLowerBound, f.hIndexUpperBound)],
    ['i10-index', (f) => bounded(f.i10Index, f.i10IndexLowerBound, f.i10IndexUpperBound)],
  ];
  return (
    <Table data-testid="metrics" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th />
          <Table.Th ta="right">All</Table.Th>
          <Table.Th ta="right">Since {sinceYear}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([label, figure]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row">{label}</Table.Th>
            <Table.Td ta="right" data-figure={`${label} all`}>
              {figure(all)}
            </Table.Td>
            <Table.Td ta="right" data-figure={`${label} since`}>
              {since.unknownReason && figure(since).includes('–') ? (
                <Tooltip label={since.unknownReason} multiline w={320} withArrow>
                  <Text span inherit style={{ textDecoration: 'underline dotted', cursor: 'help' }} tabIndex={0}>
                    {figure(since)}
                  </Text>
                </Tooltip>
              ) : (
                figure(since)
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function formatDate(date: string | null | undefined, precision?: string | null): string {
  if (!date) return '?';
  if (precision === 'YEAR') return date.slice(0, 4);
  if (precision === 'MONTH') return date.slice(0, 7);
  return date;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
