/**
 * `cairn records build`: builds the sessions waiting for their records now, by hand, with a progress bar —
 * the same builder the task runs, each session held under a lease so a running worker never builds it too.
 * `--from`/`--to` build only the sessions that started in that window; `--session` first sends that session back
 * to be built if its build failed; `--dry-run` says which sessions would be built and how many files each has,
 * changing nothing.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { actorFor } from '../../modules/accounts/accounts.service.js';
import { listSessions } from '../../modules/instruments/sessions.service.js';
import { getInstrument } from '../../modules/instruments/instruments.service.js';
import { retrySessionBuild } from '../../modules/instruments/session-builds.service.js';
import { findSessionFiles } from '../../modules/records/file-discovery.js';
import { buildNextSession } from '../../modules/records/record-builder.service.js';
import { buildSettingsFrom } from '../../modules/records/records.tasks.js';

export interface BuildRecordsOptions {
  as: string;
  session?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  dryRun: boolean;
}

export async function buildRecords(db: Db, config: Config, options: BuildRecordsOptions): Promise<void> {
  const actor = await actorFor(db, options.as);
  if (options.session !== undefined && !options.dryRun) {
    await inTransaction(db, (trx) => retrySessionBuild(trx, actor, options.session!)).catch(
      (error: unknown) => {
        // A session that is not in ERROR is simply built if it waits; say why it was not sent back.
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  }
  const waiting = (
    await listSessions(db, actor, {
      status: 'TO_BE_BUILT',
      from: options.from,
      to: options.to,
      limit: 200,
    })
  ).items;
  if (options.dryRun) {
    for (const session of waiting) {
      const instrument = await getInstrument(db, session.instrument);
      const found = await findSessionFiles({
        root: config.instrumentDataDir,
        relativePath: instrument.filestorePath,
        from: new Date(session.startedAt ?? 0),
        to: new Date(session.endedAt ?? session.startedAt ?? 0),
        extensions: config.recordExtensions,
        ignore: config.recordIgnore,
      }).catch(() => null);
      process.stdout.write(
        `${session.sessionIdentifier}\t${session.instrument}\t${session.startedAt}\t` +
          `${found === null ? 'its data folder cannot be read' : `${found.files.length} files`}\n`,
      );
    }
    process.stdout.write(`dry run: ${waiting.length} sessions would be built; nothing was changed\n`);
    return;
  }
  const settings = buildSettingsFrom(db, config, `cli-${process.pid}`);
  // With a window, only its sessions are built; without one, the oldest waiting first, as the task does.
  const windowed = options.from !== undefined || options.to !== undefined;
  const bar = new SingleBar(
    { format: 'building records [{bar}] {value}/{total} sessions' },
    Presets.shades_classic,
  );
  bar.start(waiting.length, 0);
  const counts = new Map<string, number>();
  for (let done = 0; done < waiting.length; done++) {
    const outcome = await buildNextSession(
      settings,
      windowed ? waiting.map((session) => session.sessionIdentifier) : null,
    );
    if (outcome === null) break;
    counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
    bar.increment();
  }
  bar.stop();
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  process.stdout.write(`records build: ${summary || 'nothing to build'}\n`);
}
