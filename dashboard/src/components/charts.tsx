import { BarChart, LineChart } from '@mantine/charts';
import { Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled panel for one figure, with a line saying where its numbers come from. */
export function Panel({
  title,
  source,
  children,
  testId,
}: {
  title: string;
  source?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder padding="md" data-testid={testId} component="section" aria-label={title}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {children}
      {source && (
        <Text size="xs" c="dimmed" mt="xs">
          {source}
        </Text>
      )}
    </Card>
  );
}

/** Counts per calendar year as bars, one per year. */
export function YearBars({ data, label }: { data: { year: number; count: number }[]; label: string }) {
  if (data.length === 0) return <Text c="dimmed">No yearly figures.</Text>;
  return (
    <BarChart
      h={220}
      data={data.map((point) => ({ year: String(point.year), [label]: point.count }))}
      dataKey="year"
      series={[{ name: label, color: 'blue.6' }]}
      tickLine="y"
      gridAxis="y"
      valueFormatter={(value) => value.toLocaleString('en')}
      aria-label={`${label} per year`}
    />
  );
}

/** The h-index at the end of each year: the figure where it is known, and the range the data allows. */
export function HIndexLines({
  data,
}: {
  data: { year: number; hIndex?: number | null; lowerBound: number; upperBound: number }[];
}) {
  if (data.length === 0) return <Text c="dimmed">No years to show.</Text>;
  return (
    <LineChart
      h={220}
      data={data.map((point) => ({
        year: String(point.year),
        'h-index': point.hIndex ?? null,
        'lower bound': point.lowerBound,
        'upper bound': point.upperBound,
      }))}
      dataKey="year"
      series={[
        { name: 'upper bound', color: 'gray.5', strokeDasharray: '4 3' },
        { name: 'lower bound', color: 'gray.7', strokeDasharray: '4 3' },
        { name: 'h-index', color: 'blue.6' },
      ]}
      curveType="stepAfter"
      withLegend
      connectNulls={false}
      tickLine="y"
      gridAxis="y"
      aria-label="h-index per year with its bounds"
    />
  );
}
