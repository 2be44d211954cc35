/**
 * `cairn import nexuslims <file.sqlite>`: the instruments and session_log of an existing NexusLIMS database
 * file, imported as they are, all or nothing and idempotently, as a staff user. Prints what was added and kept.
 */
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { actorFor } from '../../modules/accounts/accounts.service.js';
import { importNexusLims } from '../../modules/instruments/nexuslims-import.service.js';
import { readNexusLimsFile } from '../../modules/instruments/nexuslims-file.js';

export async function importNexusLimsFile(db: Db, config: Config, file: string, as: string): Promise<void> {
  const actor = await actorFor(db, as);
  const contents = readNexusLimsFile(file);
  const report = await inTransaction(db, (trx) =>
    importNexusLims(trx, actor, contents, config.instrumentDataDir),
  );
  process.stdout.write(
    `imported from ${file}: ${report.instrumentsAdded} instruments added (${report.instrumentsKept} already here), ` +
      `${report.rowsAdded} session_log rows added (${report.rowsKept} already here)\n`,
  );
  for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
}
