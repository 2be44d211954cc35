/**
 * `cairn search reindex`: rebuilds the text index from scratch with a progress bar, in one transaction, so
 * searches keep answering from the old index until the new one commits (an interrupted rebuild rolls back
 * and leaves the old one). Writes wait while it runs (SQLite has one writer; PostgreSQL's rows are locked).
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { countIndexedDocuments, rebuildIndex } from '../../modules/search/search-upkeep.js';

export async function reindexSearch(db: Db): Promise<void> {
  const expected = await countIndexedDocuments(db);
  const bar = new SingleBar(
    { format: 'reindexing [{bar}] {value}/{total} documents' },
    Presets.shades_classic,
  );
  bar.start(expected, 0);
  const written = await inTransaction(db, (trx) =>
    rebuildIndex(trx, (count) => {
      if (count > bar.getTotal()) bar.setTotal(count);
      bar.update(count);
    }),
  );
  bar.setTotal(written);
  bar.update(written);
  bar.stop();
  process.stdout.write(`search index rebuilt: ${written} documents\n`);
}
