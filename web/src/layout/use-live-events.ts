/**
 * Live updates: one EventSource on `GET /api/events` for the signed-in app, and each event marks the cached
 * queries of the entity it is about as stale, so pages showing analyses, jobs, HPC resources or a sample's
 * records refetch what changed without a reload. Events of a burst (a batch of analyses) are gathered for a
 * moment and each cache is invalidated once.
 *
 * Reconnection is EventSource's own (it resends the last event id, and the server resumes exactly after
 * it). EventSource gives up for good on an answer that is not an event stream (a proxy's 502 during a
 * restart); the hook then opens a new one after a pause, passing the last id as `lastEventId`.
 */
import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AuditEvent } from '../api/types';
import { auditKeys } from '../audit/audit-queries';
import { RESOURCES_KEY } from '../compute/hpc-resources-page';

/** A live event: the audit event in the small form the stream sends (GET /api/events). */
type LiveEvent = Pick<
  AuditEvent,
  'id' | 'occurredAt' | 'actor' | 'action' | 'entityType' | 'entityId' | 'projectId' | 'after'
>;

const STREAMED_TYPES = ['analysis', 'hpc_job', 'hpc_resource', 'sample_record'] as const;
/** How long events are gathered before the caches they touch are invalidated. */
const GATHER_MS = 150;
const FIRST_REOPEN_MS = 2_000;
const LAST_REOPEN_MS = 60_000;

/** The query keys an event makes stale: the entity's lists and pages, and its history. */
function staleKeysOf(event: LiveEvent): QueryKey[] {
  const history = auditKeys.entity(event.entityType, event.entityId);
  switch (event.entityType) {
    case 'analysis':
      return [['analyses'], ['analysis', event.entityId], history];
    case 'hpc_job': {
      const analysisId = analysisIdOf(event.after);
      return [['analyses'], analysisId === null ? ['analysis'] : ['analysis', analysisId], history];
    }
    case 'hpc_resource':
      return [RESOURCES_KEY, history];
    case 'sample_record':
      // A record was built with the sample: its Records panel and the records lists.
      return [['records'], history];
    default:
      return [history];
  }
}

/** The analysis a job's audit view names, if it does. */
function analysisIdOf(view: unknown): string | null {
  if (typeof view !== 'object' || view === null) return null;
  const record = view as Record<string, unknown>;
  const id = record.analysisId ?? record.analysis_id;
  return typeof id === 'string' ? id : null;
}

/** Invalidates the keys of gathered events once each, a moment after the first of them arrived. */
function gatherInvalidations(queryClient: QueryClient) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    add(keys: QueryKey[]) {
      for (const key of keys) pending.set(JSON.stringify(key), key);
      timer ??= setTimeout(() => {
        timer = null;
        const keys = [...pending.values()];
        pending.clear();
        for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
      }, GATHER_MS);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
    },
  };
}

/** Keeps the app's cached analyses, jobs and HPC resources current while it is mounted (once, in the shell). */
export function useLiveEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const invalidations = gatherInvalidations(queryClient);
    let source: EventSource | null = null;
    let lastEventId: string | null = null;
    let reopenMs = FIRST_REOPEN_MS;
    let reopenTimer: ReturnType<typeof setTimeout> | null = null;

    const onEvent = (message: MessageEvent<string>) => {
      lastEventId = message.lastEventId || lastEventId;
      reopenMs = FIRST_REOPEN_MS;
      invalidations.add(staleKeysOf(JSON.parse(message.data) as LiveEvent));
    };
    const open = () => {
      reopenTimer = null;
      const query = new URLSearchParams({ types: STREAMED_TYPES.join(',') });
      if (lastEventId !== null) query.set('lastEventId', lastEventId);
      const opened = new EventSource(`/api/events?${query.toString()}`);
      for (const type of STREAMED_TYPES) opened.addEventListener(type, onEvent);
      opened.onerror = () => {
        if (opened.readyState !== EventSource.CLOSED) return;
        reopenTimer = setTimeout(open, reopenMs);
        reopenMs = Math.min(reopenMs * 2, LAST_REOPEN_MS);
      };
      source = opened;
    };
    open();
    return () => {
      if (reopenTimer !== null) clearTimeout(reopenTimer);
      invalidations.cancel();
      source?.close();
    };
  }, [queryClient]);
}
