/**
 * Foundation: accounts, projects, the audit trail (append-only, enforced by the database) and the task queue.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

export const foundation: Migration = {
  name: '0001-foundation',
  async up(db, dialect) {
    const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text')
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'staff', 'user')`))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_login_at', 'text')
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

    await db.schema
      .createTable('web_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('web_sessions_user_idx').on('web_sessions').column('user_id').execute();

    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('start_date', 'text')
      .addColumn('end_date', 'text')
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('planned', 'active', 'on_hold', 'completed', 'archived')`),
      )
      .addColumn('manager_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.references('users.id'))
      .addColumn('deleted_at', 'text')
      .execute();
    await db.schema.createIndex('projects_name_idx').on('projects').columns(['name', 'id']).execute();
    await db.schema
      .createIndex('projects_created_idx')
      .on('projects')
      .columns(['created_at', 'id'])
      .execute();

    await db.schema
      .createTable('project_users')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('manager', 'member', 'viewer')`))
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('project_users_pk', ['project_id', 'user_id'])
      .execute();
    await db.schema.createIndex('project_users_user_idx').on('project_users').column('user_id').execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', serialId, (c) =>
        c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text')
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema
      .createIndex('audit_events_entity_idx')
      .on('audit_events')
      .columns(['entity_type', 'entity_id', 'id'])
      .execute();
    await db.schema
      .createIndex('audit_events_project_idx')
      .on('audit_events')
      .columns(['project_id', 'id'])
      .execute();
    await makeAppendOnly(db, dialect);

    await db.schema
      .createTable('tasks')
      .addColumn('id', serialId, (c) =>
        c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
      )
      .addColumn('run_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('unique_key', 'text', (c) => c.unique())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('tasks_claim_idx').on('tasks').columns(['status', 'run_at', 'id']).execute();
  },
};

/** The audit table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) at the database level. */
async function makeAppendOnly(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    await sql`create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    return;
  }
  await sql`create function audit_events_refuse_change() returns trigger language plpgsql as $$
    begin raise exception 'audit_events is append-only'; end $$`.execute(db);
  await sql`create trigger audit_events_no_change before update or delete on audit_events
    for each row execute function audit_events_refuse_change()`.execute(db);
  await sql`create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_refuse_change()`.execute(db);
}
