/**
 * Where a hit aligns on the query: the query as an axis from its first to its last position, the hit as a bar
 * over the part it covers, coloured by its identity (a minus-strand hit points left). Compact in the hits
 * table; with the axis's coordinates above an alignment.
 */
import { Group, Text } from '@mantine/core';
import { axisTicks, IDENTITY_BANDS, identityBandOf, spanOnQuery } from './sequence-alignment';
import type { SequenceHit } from './sequence-search-api';

const BAR_HEIGHT = 10;

const colourOf = (color: string) => `var(--mantine-color-${color}-6)`;

interface HitGraphicProps {
  queryLength: number;
  hit: Pick<SequenceHit, 'queryStart' | 'queryEnd' | 'percentIdentity'>;
  width: number;
  /** Shows the query's coordinates under the axis. */
  withScale?: boolean;
}

export function HitGraphic({ queryLength, hit, width, withScale = false }: HitGraphicProps) {
  const span = spanOnQuery(queryLength, hit);
  const band = identityBandOf(hit.percentIdentity);
  const pad = withScale ? 16 : 2;
  const inner = width - 2 * pad;
  const x = (fraction: number) => pad + fraction * inner;
  const axisY = BAR_HEIGHT + 8;
  const height = withScale ? axisY + 18 : axisY + 2;
  const from = x(span.from);
  const barWidth = Math.max(2, x(span.to) - from);
  const arrow = Math.min(6, barWidth / 2);
  // A bar with a pointed end shows the strand the hit runs on.
  const bar = span.reverse
    ? `M${from},${BAR_HEIGHT / 2 + 2} L${from + arrow},2 L${from + barWidth},2 L${from + barWidth},${BAR_HEIGHT + 2} L${from + arrow},${BAR_HEIGHT + 2} Z`
    : `M${from},2 L${from + barWidth - arrow},2 L${from + barWidth},${BAR_HEIGHT / 2 + 2} L${from + barWidth - arrow},${BAR_HEIGHT + 2} L${from},${BAR_HEIGHT + 2} Z`;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Query ${hit.queryStart}–${hit.queryEnd} of ${queryLength}, ${hit.percentIdentity}% identity`}
      data-testid="hit-graphic"
    >
      <line x1={x(0)} x2={x(1)} y1={axisY} y2={axisY} style={{ stroke: 'var(--mantine-color-gray-5)' }} />
      {withScale &&
        axisTicks(queryLength).map((tick) => {
          const tickX = x((tick - 0.5) / Math.max(1, queryLength));
          return (
            <g key={tick}>
              <line
                x1={tickX}
                x2={tickX}
                y1={axisY}
                y2={axisY + 4}
                style={{ stroke: 'var(--mantine-color-gray-5)' }}
              />
              <text
                x={tickX}
                y={axisY + 15}
                textAnchor="middle"
                style={{ fontSize: 10, fill: 'var(--mantine-color-dimmed)' }}
              >
                {tick}
              </text>
            </g>
          );
        })}
      <path
        d={bar}
        style={{ fill: colourOf(band.color) }}
        data-testid="hit-bar"
        data-from={hit.queryStart}
        data-to={hit.queryEnd}
      />
    </svg>
  );
}

/** What the bars' colours mean. */
export function IdentityLegend() {
  return (
    <Group gap="md" data-testid="identity-legend">
      <Text size="xs" c="dimmed">
        Identity
      </Text>
      {IDENTITY_BANDS.map((band) => (
        <Group key={band.min} gap={4} wrap="nowrap">
          <svg width={12} height={10} aria-hidden>
            <rect width={12} height={10} rx={2} style={{ fill: colourOf(band.color) }} />
          </svg>
          <Text size="xs">{band.label}</Text>
        </Group>
      ))}
    </Group>
  );
}
