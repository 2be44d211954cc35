/**
 * HPC resources (seed: lims-hpc HPCResources): the machines and clusters that run analysis jobs, with their
 * scheduler settings and the last heartbeat of the agent that serves them.
 *
 * A fresh install gets one `local` resource, online, served by the embedded agent. It is inserted here rather
 * than at start-up: migrations run once, under a lock, for every process role alike, so two processes
 * starting together cannot both insert it, and an admin's later rename or change is never undone by a restart.
 * The row is written out in full, as a released migration must keep seeding the same row.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const hpcResources: Migration = {
  name: '0007-hpc-resources',
  async up(db) {
    await db.schema
      .createTable('hpc_resources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('local', 'slurm')`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('online', 'offline', 'draining')`))
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('agent_heartbeat_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.references('users.id'))
      .execute();
    await db.schema
      .createIndex('hpc_resources_name_unique')
      .on('hpc_resources')
      .unique()
      .column('name')
      .execute();

    const now = new Date().toISOString();
    await sql`insert into hpc_resources
      (id, name, description, type, status, settings, agent_heartbeat_at, created_at, created_by, updated_at, updated_by)
      values (${randomUUID()}, 'local', 'This machine, through the embedded agent of cairn serve', 'local', 'online',
              '{}', null, ${now}, null, ${now}, null)`.execute(db);
  },
};
