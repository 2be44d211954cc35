/**
 * An instrument's sessions on one time axis: each session a bar from its start to its end (an unfinished one
 * runs to now), coloured by its record status, so the instrument's idle time shows as the gaps between bars.
 * Sessions that overlap (two users logged at once) go on separate lanes rather than hiding each other. A bar
 * of a session with a record links to it.
 */
import { Box, Group, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../layout/format-time';
import { sessionStatusLabels } from './instrument-labels';
import type { InstrumentSession } from './instrument-types';

const LANE_HEIGHT = 22;
const LANE_GAP = 4;
/** A bar is never narrower than this share of the axis, so a short session stays visible. */
const MIN_WIDTH_PERCENT = 0.4;

interface Bar {
  session: InstrumentSession;
  start: number;
  end: number;
  lane: number;
}

/** Bars in start order, each on the first lane whose last bar has ended by its start. */
function layBars(sessions: readonly InstrumentSession[], now: number): Bar[] {
  const timed = sessions
    .filter((session) => session.startedAt !== null)
    .map((session) => {
      const start = Date.parse(session.startedAt!);
      const end = session.endedAt === null ? Math.max(now, start) : Date.parse(session.endedAt);
      return { session, start, end: Math.max(end, start) };
    })
    .sort((a, b) => a.start - b.start);
  const laneEnds: number[] = [];
  return timed.map((bar) => {
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= bar.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = bar.end;
    return { ...bar, lane };
  });
}

export function SessionTimeline({
  sessions,
  now = Date.now(),
}: {
  sessions: readonly InstrumentSession[];
  now?: number;
}) {
  const bars = layBars(sessions, now);
  const first = bars[0];
  if (!first) {
    return (
      <Text c="dimmed" size="sm" data-testid="session-timeline">
        No sessions yet.
      </Text>
    );
  }
  const from = first.start;
  const to = Math.max(...bars.map((bar) => bar.end), from + 60_000);
  const span = to - from;
  const lanes = Math.max(...bars.map((bar) => bar.lane)) + 1;
  const percent = (time: number) => ((time - from) / span) * 100;

  return (
    <Box data-testid="session-timeline">
      <Box
        pos="relative"
        h={lanes * (LANE_HEIGHT + LANE_GAP)}
        bg="var(--mantine-color-gray-light)"
        style={{ borderRadius: 4, overflow: 'hidden' }}
      >
        {bars.map(({ session, start, end, lane }) => {
          const { label, color } = sessionStatusLabels[session.status];
          const left = percent(start);
          const width = Math.max(percent(end) - left, MIN_WIDTH_PERCENT);
          const tip = `${label}: ${formatDateTime(session.startedAt)} – ${
            session.endedAt ? formatDateTime(session.endedAt) : 'now'
          }${session.user ? ` (${session.user})` : ''}`;
          const style = {
            position: 'absolute',
            top: lane * (LANE_HEIGHT + LANE_GAP) + LANE_GAP / 2,
            left: `${left}%`,
            width: `${Math.min(width, 100 - left)}%`,
            height: LANE_HEIGHT,
            borderRadius: 3,
            background: `var(--mantine-color-${color}-filled)`,
            display: 'block',
          } as const;
          return (
            <Tooltip key={session.sessionIdentifier} label={tip} withinPortal>
              {session.recordId ? (
                <Link
                  to={`/records/${session.recordId}`}
                  style={style}
                  aria-label={tip}
                  data-testid="session-bar"
                  data-status={session.status}
                />
              ) : (
                <div style={style} aria-label={tip} data-testid="session-bar" data-status={session.status} />
              )}
            </Tooltip>
          );
        })}
      </Box>
      <Group justify="space-between" mt={4}>
        <Text size="xs" c="dimmed">
          {formatDateTime(new Date(from).toISOString())}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(new Date(to).toISOString())}
        </Text>
      </Group>
      <Group gap="md" mt="xs">
        {Object.values(sessionStatusLabels).map(({ label, color }) => (
          <Group key={label} gap={4}>
            <Box w={10} h={10} bg={`var(--mantine-color-${color}-filled)`} style={{ borderRadius: 2 }} />
            <Text size="xs">{label}</Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}
