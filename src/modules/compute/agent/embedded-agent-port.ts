/**
 * The embedded agent's way to the server: the same service functions the agent routes call, in-process, acting
 * as the system (actor null) for the local resource(s) `cairn serve` runs.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../../../db/database.js';
import { inTransaction } from '../../../db/transaction.js';
import type { FileStore } from '../../../files/file-store.js';
import * as jobs from '../hpc-jobs.service.js';
import { getResource, type HeartbeatPolicy } from '../hpc-resources.service.js';
import { openLogFile } from '../executors/job-directory.js';
import type { AgentPort } from './agent-port.js';

export interface EmbeddedPortOptions {
  readonly db: Db;
  readonly files: FileStore;
  readonly resourceId: string;
  readonly agentId: string;
  readonly policy: HeartbeatPolicy;
  readonly uploadLimitBytes: number;
}

/** Streams `source` to `destination`, failing if its SHA-256 is not `sha256` (the input changed under the job). */
export async function writeCheckedCopy(
  source: NodeJS.ReadableStream,
  destination: string,
  sha256: string,
): Promise<void> {
  const hash = createHash('sha256');
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(source, meter, createWriteStream(destination, { flags: 'w' }));
  const actual = hash.digest('hex');
  if (actual !== sha256)
    throw new Error(`input ${destination} has SHA-256 ${actual}, the job expected ${sha256}`);
}

export function embeddedAgentPort(options: EmbeddedPortOptions): AgentPort {
  const { db, files, policy } = options;
  const session = () => jobs.openAgentSession(db, null, { id: options.resourceId }, options.agentId, policy);
  return {
    describeResource: () => getResource(db, options.resourceId, policy),
    adopt: async () => {
      const open = await session();
      return inTransaction(db, (trx) => jobs.adoptJobs(trx, open));
    },
    claim: async (limit) => {
      const open = await session();
      return inTransaction(db, (trx) => jobs.claimJobs(trx, open, limit));
    },
    heartbeat: async (tails) => {
      const open = await session();
      return inTransaction(db, (trx) => jobs.heartbeat(trx, open, tails));
    },
    report: async (jobId, report) => {
      const open = await session();
      return inTransaction(db, (trx) => jobs.reportJob(trx, open, jobId, report));
    },
    stageInput: async (jobId, input, destination) => {
      const opened = await jobs.openJobInput(db, files, await session(), jobId, input.fileId);
      await writeCheckedCopy(opened.stream, destination, input.sha256);
    },
    uploadOutput: async (jobId, file) => {
      await jobs.saveJobOutput(db, files, await session(), jobId, {
        output: file.output,
        name: file.relativePath,
        stream: createReadStream(file.absolutePath),
        maxBytes: options.uploadLimitBytes,
      });
    },
    uploadLog: async (jobId, stream, file) => {
      await jobs.saveJobLog(db, files, await session(), jobId, {
        stream,
        content: await openLogFile(file),
        maxBytes: options.uploadLimitBytes,
      });
    },
  };
}
