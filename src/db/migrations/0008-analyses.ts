/**
 * Analyses on HPC (seed: lims-hpc Analyses and HPCJobs, spec §2): the registry of declared analysis types, the
 * analyses people ask for, the jobs that run them (an analysis has at most one current job and keeps its
 * earlier attempts), the files an analysis produced, and which machine accounts serve as a resource's agent.
 *
 * Users gain `is_agent`: a machine account that only reaches the agent routes, whatever its role.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const analyses: Migration = {
  name: '0008-analyses',
  async up(db) {
    await db.schema
      .alterTable('users')
      .addColumn('is_agent', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('hpc_resource_agents')
      .addColumn('resource_id', 'text', (c) => c.notNull().references('hpc_resources.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addPrimaryKeyConstraint('hpc_resource_agents_pk', ['resource_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('hpc_resource_agents_user_idx')
      .on('hpc_resource_agents')
      .column('user_id')
      .execute();

    await db.schema
      .createTable('analysis_types')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('builtin', 'file', 'api')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .execute();
    await db.schema
      .createIndex('analysis_types_name_version_unique')
      .on('analysis_types')
      .unique()
      .columns(['name', 'version'])
      .execute();

    await db.schema
      .createTable('analyses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('sample_id', 'text', (c) => c.notNull())
      .addColumn('analysis_type_id', 'text', (c) => c.notNull().references('analysis_types.id'))
      .addColumn('type_name', 'text', (c) => c.notNull())
      .addColumn('type_version', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`status in ('draft', 'queued', 'submitted', 'running', 'completed', 'failed', 'cancelled')`,
          ),
      )
      .addColumn('resource_id', 'text', (c) => c.notNull().references('hpc_resources.id'))
      .addColumn('current_job_id', 'text')
      .addColumn('result_path', 'text')
      .addColumn('requested_by', 'text', (c) => c.references('users.id'))
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    for (const [name, columns] of [
      ['analyses_submitted_idx', ['submitted_at', 'id']],
      ['analyses_project_idx', ['project_id', 'submitted_at', 'id']],
      ['analyses_sample_idx', ['sample_id', 'submitted_at', 'id']],
      ['analyses_status_idx', ['status', 'submitted_at', 'id']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('analyses')
        .columns([...columns])
        .execute();
    }

    await db.schema
      .createTable('hpc_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('analysis_id', 'text', (c) => c.notNull().references('analyses.id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull().references('hpc_resources.id'))
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .check(sql`status in ('queued', 'submitted', 'running', 'completed', 'failed', 'cancelled')`),
      )
      .addColumn('scheduler_state', 'text')
      .addColumn('external_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('exit_code', 'integer')
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('tool_versions', 'text')
      .addColumn('cpu_seconds', 'double precision')
      .addColumn('peak_memory_bytes', 'bigint')
      .addColumn('stdout_tail', 'text')
      .addColumn('stderr_tail', 'text')
      .addColumn('stdout_file', 'text')
      .addColumn('stderr_file', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('cancel_requested_at', 'text')
      .addColumn('queued_at', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text')
      .addColumn('started_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('hpc_jobs_attempt_unique')
      .on('hpc_jobs')
      .unique()
      .columns(['analysis_id', 'attempt'])
      .execute();
    await db.schema
      .createIndex('hpc_jobs_claim_idx')
      .on('hpc_jobs')
      .columns(['resource_id', 'status', 'queued_at', 'id'])
      .execute();
    await db.schema.createIndex('hpc_jobs_lease_idx').on('hpc_jobs').column('lease_owner').execute();

    await db.schema
      .createTable('analysis_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('analysis_id', 'text', (c) => c.notNull().references('analyses.id'))
      .addColumn('job_id', 'text', (c) => c.notNull().references('hpc_jobs.id'))
      .addColumn('output', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('storage_name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('analysis_files_analysis_idx')
      .on('analysis_files')
      .columns(['analysis_id', 'created_at', 'id'])
      .execute();
  },
};
