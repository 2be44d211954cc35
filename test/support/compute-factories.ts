/**
 * Test helpers of analyses: the built-in analysis types registered as `cairn serve` registers them, sample files
 * attached through the API, an embedded agent for the local resource running real child processes, and
 * waiting for an analysis to reach a status.
 */
import path from 'node:path';
import { inTransaction } from '../../src/db/transaction.js';
import { Agent } from '../../src/modules/compute/agent/agent.js';
import { embeddedAgentPort } from '../../src/modules/compute/agent/embedded-agent-port.js';
import type { Analysis } from '../../src/modules/compute/analyses.schema.js';
import {
  BUILTIN_ANALYSIS_TYPES_DIR,
  loadDefinitionFiles,
} from '../../src/modules/compute/analysis-types.service.js';
import { LocalExecutor } from '../../src/modules/compute/executors/local-executor.js';
import { FileStore } from '../../src/files/file-store.js';
import type { ItemFile } from '../../src/modules/inventory/item-files.schema.js';
import { multipartBody, type FormFile } from './multipart.js';
import type { TestApp, TestUser } from './test-app.js';
import { waitFor } from './wait-for.js';

/** Registers the built-in analysis types (checksum, seqkit-stats, fastq-subsample), as start-up does. */
export async function loadBuiltinAnalysisTypes(t: TestApp): Promise<void> {
  const report = await inTransaction(t.database.db, (trx) =>
    loadDefinitionFiles(trx, [{ directory: BUILTIN_ANALYSIS_TYPES_DIR, origin: 'builtin' }]),
  );
  if (report.problems.length > 0) throw new Error(`built-in types: ${JSON.stringify(report.problems)}`);
}

/** Attaches files to an item (a sample) through the API, as `by`. */
export async function attachFiles(
  t: TestApp,
  by: TestUser,
  itemId: string,
  files: FormFile[],
): Promise<ItemFile[]> {
  const { payload, headers } = multipartBody(files);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/items/${itemId}/files`,
    headers: { ...by.headers, ...headers },
    payload,
  });
  if (response.statusCode !== 201) throw new Error(`attaching files failed: ${response.body}`);
  return response.json<ItemFile[]>();
}

/** The id of the `local` resource a fresh install has. */
export async function localResourceId(t: TestApp): Promise<string> {
  const row = await t.database.db
    .selectFrom('hpc_resources')
    .select('id')
    .where('name', '=', 'local')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface TestAgentOptions {
  resourceId?: string;
  agentId?: string;
  capacity?: number;
  workRoot?: string;
}

/** An embedded agent of the local resource (or another local one) with real child processes, started. */
export async function startTestAgent(t: TestApp, options: TestAgentOptions = {}): Promise<Agent> {
  const resourceId = options.resourceId ?? (await localResourceId(t));
  const agent = new Agent({
    port: embeddedAgentPort({
      db: t.database.db,
      files: new FileStore(t.config.filesDir),
      resourceId,
      agentId: options.agentId ?? 'test-agent',
      policy: { staleSeconds: t.config.agentStaleSeconds },
      uploadLimitBytes: t.config.uploadLimitBytes,
    }),
    executor: new LocalExecutor({ settings: { maxConcurrent: options.capacity ?? 4 } }),
    workRoot: options.workRoot ?? path.join(t.config.dataDir, 'jobs', resourceId),
    pollIntervalMs: 50,
    heartbeatIntervalMs: 1000,
    log: {
      info: () => undefined,
      warn: (message) => console.warn(message),
      error: (message) => console.error(message),
    },
  });
  await agent.start();
  return agent;
}

/** The analysis once it reaches one of `statuses` (read through the API as `who`). */
export async function waitForAnalysis(
  t: TestApp,
  who: TestUser,
  id: string,
  statuses: readonly Analysis['status'][],
  timeout = 60_000,
): Promise<Analysis> {
  let last: Analysis | undefined;
  await waitFor(
    `analysis ${id} to become ${statuses.join(' or ')}`,
    async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${id}`,
        headers: who.headers,
      });
      last = response.json<Analysis>();
      return statuses.includes(last.status);
    },
    { timeout, interval: 50 },
  );
  return last!;
}
