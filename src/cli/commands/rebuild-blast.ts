/**
 * `cairn blast rebuild`: writes the BLAST databases again from every item's sequences, with a progress bar.
 * Searches keep answering from the old volumes until the alias moves to the new ones; changes made meanwhile
 * are queued as always and applied right after. Waits for a worker that is applying changes to finish.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { countItemsOfSequenceTypes } from '../../modules/inventory/item-sequences.js';
import { blastFilesOf, rebuildBlastDatabases } from '../../modules/search/blast-upkeep.js';
import { requireBlast } from '../../modules/search/blast-programs.js';

export async function rebuildBlast(db: Db, config: Config): Promise<void> {
  await requireBlast(config.blastBinDir);
  const expected = await countItemsOfSequenceTypes(db);
  const bar = new SingleBar(
    { format: 'rebuilding BLAST databases [{bar}] {value}/{total} items' },
    Presets.shades_classic,
  );
  bar.start(expected, 0);
  const { sequences } = await rebuildBlastDatabases(db, blastFilesOf(config), `cli-${process.pid}`, {
    waitMs: 10 * 60_000,
    onProgress: (items) => {
      if (items > bar.getTotal()) bar.setTotal(items);
      bar.update(items);
    },
  });
  bar.update(bar.getTotal());
  bar.stop();
  process.stdout.write(`BLAST databases rebuilt: ${sequences} sequences in ${config.blastDir}\n`);
}
