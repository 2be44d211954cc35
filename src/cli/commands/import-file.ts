/**
 * `cairn import csv <file>` and `cairn import fasta <file>`: stream a file into the bulk import as a given
 * user, with a progress bar over the bytes read, then the rows (entries) checked and written. Ctrl-C (or
 * SIGTERM) stops it between chunks and the transaction rolls back: nothing is half-written. Prints the
 * report: every bad row by number and reason.
 */
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { actorFor } from '../../modules/accounts/accounts.service.js';
import {
  importItemsCsv,
  importSamplesCsv,
  readImportFile,
  type ImportKind,
  type ImportProgress,
} from '../../modules/bulk/csv-import.service.js';
import { importFasta } from '../../modules/bulk/fasta-import.service.js';
import { readFasta } from '../../modules/bulk/fasta-reader.js';
import { ImportRejected, type ImportReport } from '../../modules/bulk/import-report.js';

export interface ImportCsvOptions {
  kind: ImportKind;
  as: string;
  dryRun: boolean;
  map?: Record<string, string> | undefined;
}

export interface ImportFastaOptions {
  as: string;
  dryRun: boolean;
  type?: string | undefined;
  field?: string | undefined;
  parent?: string | undefined;
}

/** How one kind of file is read and imported. */
interface FileImport<Contents> {
  read(source: NodeJS.ReadableStream & AsyncIterable<Buffer>, signal: AbortSignal): Promise<Contents>;
  run(
    trx: Db,
    actor: Actor,
    contents: Contents,
    control: { signal: AbortSignal; onProgress: (progress: ImportProgress) => void },
  ): Promise<ImportReport>;
}

/** Counts the bytes passing through, for the reading bar. */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(readonly onBytes: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    done(null, chunk);
  }
}

function printReport(report: ImportReport, out: NodeJS.WritableStream): void {
  const what = report.dryRun ? 'dry run' : 'import';
  if (report.valid) {
    out.write(
      report.dryRun
        ? `dry run: all ${report.rows} rows are valid; nothing was written\n`
        : `imported ${report.rows} rows: created ${report.created}` +
            (report.updated === undefined ? '' : `, updated ${report.updated}`) +
            (report.items?.[0] === undefined
              ? '\n'
              : report.moreItems === 0
                ? ` (${report.items[0].humanId} … ${report.items.at(-1)?.humanId})\n`
                : ` (from ${report.items[0].humanId})\n`),
    );
  } else {
    out.write(
      `${what}: ${report.invalidRows} of ${report.rows} rows have problems; nothing was ${report.dryRun ? 'written' : 'imported'}\n`,
    );
    for (const problem of report.errors) {
      const column = problem.column === undefined ? '' : `, column "${problem.column}"`;
      out.write(`  row ${problem.row}${column} (${problem.field}): ${problem.message}\n`);
    }
    if (report.moreErrors > 0) out.write(`  … and ${report.moreErrors} more problems\n`);
  }
  for (const warning of report.warnings) out.write(`warning: ${warning.message}\n`);
}

/** Imports a CSV file; returns the exit code (0 valid and done, 1 bad rows, 130 interrupted). */
export function importCsvFile(db: Db, file: string, options: ImportCsvOptions): Promise<number> {
  return importFile(db, file, options.as, {
    read: (source, signal) => readImportFile(source, { signal }),
    run: (trx, actor, csv, control) =>
      (options.kind === 'items' ? importItemsCsv : importSamplesCsv)(trx, actor, csv, {
        dryRun: options.dryRun,
        map: options.map,
        ...control,
      }),
  });
}

/** Imports a FASTA file's sequences; returns the exit code as `importCsvFile` does. */
export function importFastaFile(db: Db, file: string, options: ImportFastaOptions): Promise<number> {
  return importFile(db, file, options.as, {
    read: (source) => readFasta(source),
    run: (trx, actor, fasta, control) =>
      importFasta(trx, actor, fasta, {
        dryRun: options.dryRun,
        type: options.type,
        field: options.field,
        parent: options.parent,
        ...control,
      }),
  });
}

async function importFile<Contents>(
  db: Db,
  file: string,
  as: string,
  kind: FileImport<Contents>,
): Promise<number> {
  const actor = await actorFor(db, as);
  const size = fs.statSync(file).size;
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const bar = new SingleBar(
    {
      format: '{phase} [{bar}] {percentage}% | {value}/{total} {unit}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      gracefulExit: false,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let phase: ImportProgress['phase'] | null = null;
  const onProgress = (progress: ImportProgress) => {
    if (progress.phase === 'reading') return; // the byte counter drives the reading bar
    if (progress.phase !== phase) {
      if (phase !== null) bar.stop();
      phase = progress.phase;
      bar.start(progress.total ?? 0, progress.done, { phase, unit: 'rows' });
    } else bar.update(progress.done);
  };
  let report: ImportReport;
  try {
    phase = 'reading';
    bar.start(size, 0, { phase, unit: 'bytes' });
    const counter = new ByteCounter((bytes) => bar.update(bytes));
    const contents = await kind.read(fs.createReadStream(file).pipe(counter), controller.signal);
    bar.update(size);
    report = await inTransaction(db, (trx) =>
      kind.run(trx, actor, contents, { signal: controller.signal, onProgress }),
    );
  } catch (error) {
    if (error instanceof ImportRejected) report = error.report;
    else if (controller.signal.aborted) {
      bar.stop();
      process.stderr.write('interrupted: the import was rolled back; nothing was written\n');
      return 130;
    } else throw error;
  } finally {
    bar.stop();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  printReport(report, process.stdout);
  return report.valid ? 0 : 1;
}
