import { Group, Text } from '@mantine/core';
import { Link } from 'react-router';

/**
 * Swim lanes over years, drawn in SVG: one lane per project (or organization, or person), bars for
 * the periods a role or position lasted, and beneath them one cell per period (a month or a year)
 * shaded by its count (commits) where the API gives one.
 */

export interface LaneInterval {
  /** Fractional years: 2013.67 is the start of September 2013. */
  start: number;
  end: number;
  label: string;
  color: string;
  /** True when the period is open ("to date"). */
  open?: boolean;
  /** Higher layers are drawn over lower ones where periods overlap. */
  layer?: number;
}

export interface Lane {
  key: string;
  label: string;
  href?: string;
  intervals: LaneInterval[];
  /** A count per period (e.g. commits per month), shaded by size. */
  intensity?: IntensityCell[];
}

export interface IntensityCell {
  /** Fractional year the period starts, as for intervals. */
  start: number;
  /** Its length in years: 1/12 for a month. */
  span: number;
  value: number;
  /** The period in words, e.g. "June 2014". */
  label: string;
}

export interface LegendEntry {
  label: string;
  color: string;
}

/**
 * Lanes gathered by key as their periods arrive, each placed at its earliest start: `sorted` gives
 * them earliest first, then by label.
 */
export function laneGroup() {
  const lanes = new Map<string, Lane & { first: number }>();
  return {
    lane(key: string, label: string, href: string, start: number): Lane {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { key, label, href, intervals: [], intensity: [], first: start };
        lanes.set(key, lane);
      }
      lane.first = Math.min(lane.first, start);
      return lane;
    },
    sorted: (): Lane[] => [...lanes.values()].sort((a, b) => a.first - b.first || a.label.localeCompare(b.label)),
  };
}

const LABEL_WIDTH = 150;
const WIDTH = 960;
const LANE_HEIGHT = 30;
const BAR_HEIGHT = 10;
const AXIS_HEIGHT = 22;

/** The fractional year of an ISO date; `toEnd` moves it to the end of the period its precision names. */
export function yearOf(date: string, precision: string | null | undefined = 'DAY', toEnd = false): number {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  if (toEnd && precision === 'YEAR') return year + 1;
  if (toEnd && precision === 'MONTH') return year + month / 12;
  return year + (month - 1) / 12 + (toEnd ? day : day - 1) / 365;
}

export function Lanes({
  lanes,
  legend,
  title,
  intensityLabel,
  testId,
}: {
  lanes: Lane[];
  legend: LegendEntry[];
  title: string;
  intensityLabel?: string;
  testId?: string;
}) {
  if (lanes.length === 0) return <Text c="dimmed">Nothing dated to draw.</Text>;
  const years = lanes.flatMap((lane) => [
    ...lane.intervals.flatMap((interval) => [interval.start, interval.end]),
    ...(lane.intensity ?? []).flatMap((point) => [point.start, point.start + point.span]),
  ]);
  const first = Math.floor(Math.min(...years));
  const last = Math.max(first + 1, Math.ceil(Math.max(...years)));
  const span = last - first;
  const x = (year: number) => LABEL_WIDTH + ((year - first) / span) * (WIDTH - LABEL_WIDTH - 8);
  const height = AXIS_HEIGHT + lanes.length * LANE_HEIGHT;
  const maxIntensity = Math.max(1, ...lanes.flatMap((lane) => (lane.intensity ?? []).map((point) => point.value)));
  const step = span > 24 ? 5 : span > 12 ? 2 : 1;
  const ticks: number[] = [];
  for (let year = first; year <= last; year += 1) if ((year - first) % step === 0) ticks.push(year);
  return (
    <div>
      {/* On a phone the lanes keep a readable size and scroll sideways within their panel. */}
      <div style={{ overflowX: 'auto' }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          role="img"
          aria-label={title}
          data-testid={testId}
          style={{ display: 'block', fontFamily: 'inherit', minWidth: 640 }}
        >
          <title>{title}</title>
          {ticks.map((year) => (
            <g key={year}>
              <line x1={x(year)} x2={x(year)} y1={AXIS_HEIGHT - 4} y2={height} stroke="#dee2e6" />
              {x(year) + 34 < WIDTH && (
                <text x={x(year) + 2} y={14} fontSize={12} fill="#868e96">
                  {year}
                </text>
              )}
            </g>
          ))}
          {lanes.map((lane, index) => {
            const top = AXIS_HEIGHT + index * LANE_HEIGHT;
            return (
              <g key={lane.key} data-lane={lane.label}>
                <LaneLabel lane={lane} y={top + LANE_HEIGHT / 2 + 4} />
                {(lane.intensity ?? []).map((point) => (
                  <rect
                    key={`i${point.start}`}
                    data-intensity={point.label}
                    x={x(point.start) + (point.span >= 1 ? 1 : 0)}
                    y={top + 4 + BAR_HEIGHT + 3}
                    width={Math.max(1, x(point.start + point.span) - x(point.start) - (point.span >= 1 ? 2 : 0))}
                    height={8}
                    fill="#2b8a3e"
                    fillOpacity={point.value === 0 ? 0.05 : 0.15 + 0.85 * (point.value / maxIntensity)}
                  >
                    <title>{`${lane.label}, ${point.label}: ${point.value.toLocaleString('en')} ${intensityLabel ?? ''}`}</title>
                  </rect>
                ))}
                {[...lane.intervals]
                  .sort((a, b) => (a.layer ?? 0) - (b.layer ?? 0))
                  .map((interval) => (
                    <rect
                      key={`${interval.label}@${interval.start}-${interval.end}`}
                      data-interval={interval.label}
                      x={x(interval.start)}
                      y={top + 4}
                      width={Math.max(3, x(interval.end) - x(interval.start))}
                      height={BAR_HEIGHT}
                      rx={2}
                      fill={interval.color}
                      fillOpacity={0.85}
                    >
                      <title>{`${lane.label}: ${interval.label}, ${formatYear(interval.start)}–${interval.open ? 'to date' : formatYear(interval.end)}`}</title>
                    </rect>
                  ))}
              </g>
            );
          })}
        </svg>
      </div>
      <Group gap="md" mt={4} aria-hidden>
        {legend.map((entry) => (
          <Group gap={4} key={entry.label}>
            <span style={{ width: 12, height: 8, background: entry.color, display: 'inline-block', borderRadius: 2 }} />
            <Text size="xs">{entry.label}</Text>
          </Group>
        ))}
        {intensityLabel && (
          <Group gap={4}>
            <span style={{ width: 12, height: 8, background: '#2b8a3e', display: 'inline-block', opacity: 0.6 }} />
            <Text size="xs">{intensityLabel} (darker: more)</Text>
          </Group>
        )}
      </Group>
    </div>
  );
}

function LaneLabel({ lane, y }: { lane: Lane; y: number }) {
  const text = lane.label.length > 20 ? `${lane.label.slice(0, 19)}…` : lane.label;
  const label = (
    <text x={0} y={y} fontSize={13} fill={lane.href ? '#1c7ed6' : '#212529'}>
      {text}
    </text>
  );
  return lane.href ? (
    <Link to={lane.href} aria-label={lane.label}>
      {label}
    </Link>
  ) : (
    label
  );
}

function formatYear(value: number): string {
  const year = Math.floor(value);
  const month = Math.round((value - year) * 12);
  if (month === 0) return String(year);
  if (month >= 12) return String(year + 1);
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

export const roleColors: Record<string, string> = {
  CREATOR: '#e8590c',
  LEAD: '#9c36b5',
  MAINTAINER: '#1971c2',
  CONTRIBUTOR: '#74c0fc',
};

/** A creator's bar is drawn over a lead's, a maintainer's and a contributor's. */
export const roleLayers: Record<string, number> = { CONTRIBUTOR: 0, MAINTAINER: 1, LEAD: 2, CREATOR: 3 };

export const roleLegend: LegendEntry[] = Object.entries(roleColors).map(([role, color]) => ({
  label: role.toLowerCase(),
  color,
}));

export const affiliationColors: Record<string, string> = {
  EMPLOYMENT: '#1971c2',
  EDUCATION: '#2f9e44',
  INTERNSHIP: '#f08c00',
  OTHER: '#868e96',
};

export const affiliationLegend: LegendEntry[] = Object.entries(affiliationColors).map(([kind, color]) => ({
  label: kind.toLowerCase(),
  color,
}));

/** Where a dated period ends on the lanes: its end date, today when open, its start when the end is unknown. */
export function periodEnd(period: {
  startDate: string | null;
  startPrecision?: string | null;
  endDate: string | null;
  endPrecision?: string | null;
  isCurrent: boolean;
}): number | null {
  if (period.endDate) return yearOf(period.endDate, period.endPrecision, true);
  if (period.isCurrent) {
    const now = new Date();
    return now.getUTCFullYear() + now.getUTCMonth() / 12;
  }
  return period.startDate ? yearOf(period.startDate, period.startPrecision, true) : null;
}
