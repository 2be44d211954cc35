/** All SQL for the analysis type registry: the analysis_types table, one row per (name, version). */
import { sql, type Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { AnalysisTypesTable, ComputeTables } from './compute.tables.js';

/** The handle with the compute module's tables only. */
const computeTables = (db: Db) => tablesOf<ComputeTables>(db);

export type AnalysisTypeRow = Selectable<AnalysisTypesTable>;

/** Versions compare in byte order on both databases (PostgreSQL's "C" collation, SQLite's default). */
function versionColumn(db: Db, table: string) {
  return dialectOf(db) === 'postgres'
    ? sql<string>`${sql.ref(`${table}.version`)} collate "C"`
    : sql<string>`${sql.ref(`${table}.version`)}`;
}

/**
 * Inserts a version unless its (name, version) is already there, whoever got there first (another start-up,
 * another admin): true when this row was inserted. `on conflict do nothing` keeps a PostgreSQL transaction
 * usable, where a unique violation would abort it.
 */
export async function insertTypeUnlessExists(db: Db, row: AnalysisTypeRow): Promise<boolean> {
  const inserted = await computeTables(db)
    .insertInto('analysis_types')
    .values(row)
    .onConflict((conflict) => conflict.columns(['name', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findType(db: Db, id: string): Promise<AnalysisTypeRow | undefined> {
  return computeTables(db).selectFrom('analysis_types').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findTypeVersion(db: Db, name: string, version: string): Promise<AnalysisTypeRow | undefined> {
  return computeTables(db)
    .selectFrom('analysis_types')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Every version of one type, latest first (newest `created_at`, then the greater version). */
export function listTypeVersions(db: Db, name: string): Promise<AnalysisTypeRow[]> {
  return computeTables(db)
    .selectFrom('analysis_types')
    .selectAll()
    .where('name', '=', name)
    .orderBy('created_at', 'desc')
    .orderBy(versionColumn(db, 'analysis_types'), 'desc')
    .execute();
}

/** The latest version of each type (or of the one named), by name: no later version of its name exists. */
export function listLatestTypes(db: Db, name?: string): Promise<AnalysisTypeRow[]> {
  const later = versionColumn(db, 'later');
  const current = versionColumn(db, 'current');
  const byName =
    dialectOf(db) === 'postgres' ? sql<string>`current.name collate "C"` : sql<string>`current.name`;
  return computeTables(db)
    .selectFrom('analysis_types as current')
    .selectAll('current')
    .$if(name !== undefined, (qb) => qb.where('current.name', '=', name ?? ''))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('analysis_types as later')
            .select('later.id')
            .whereRef('later.name', '=', 'current.name')
            .where(
              sql<boolean>`(later.created_at > current.created_at or (later.created_at = current.created_at and ${later} > ${current}))`,
            ),
        ),
      ),
    )
    .orderBy(byName)
    .execute();
}
