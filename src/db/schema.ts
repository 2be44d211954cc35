/** The whole database as Kysely sees it: every module's tables, each declared in its own module. */
import type { AccountsTables } from '../modules/accounts/accounts.tables.js';
import type { AuditTables } from '../modules/audit/audit.tables.js';
import type { ComputeTables } from '../modules/compute/compute.tables.js';
import type { InstrumentsTables } from '../modules/instruments/instruments.tables.js';
import type { InventoryTables } from '../modules/inventory/inventory.tables.js';
import type { ProjectsTables } from '../modules/projects/projects.tables.js';
import type { RecordsTables } from '../modules/records/records.tables.js';
import type { SearchTables } from '../modules/search/search.tables.js';
import type { SamplesTables } from '../modules/samples/samples.tables.js';
import type { TasksTables } from '../tasks/tasks.tables.js';

export interface Database
  extends
    AccountsTables,
    ProjectsTables,
    SamplesTables,
    AuditTables,
    TasksTables,
    InventoryTables,
    ComputeTables,
    InstrumentsTables,
    RecordsTables,
    SearchTables {}
