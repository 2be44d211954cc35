/**
 * Runs once before the suite: compiles the server for the tests that run the `cairn` command and the web UI for
 * the browser tests (each only when older than its sources), and migrates a PostgreSQL template database that
 * every test file clones (CREATE DATABASE … TEMPLATE), dropped afterwards. Without PostgreSQL the PostgreSQL
 * half of the data tests is skipped locally and fails under CI.
 */
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildServerIfStale } from './cairn-cli.js';
import { isPostgresReachable, pgUrlFor, withPgAdmin } from './postgres.js';
import { ensureWebBuilt } from './web-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [template, ...builds] = await Promise.allSettled([
    migratePgTemplate(project),
    buildServerIfStale(),
    ensureWebBuilt(),
  ]);
  if (template.status === 'rejected') throw template.reason;
  const failedBuild = builds.find((build) => build.status === 'rejected');
  if (failedBuild) {
    await template.value();
    throw failedBuild.reason;
  }
  return template.value;
}

async function migratePgTemplate(project: TestProject): Promise<() => Promise<void>> {
  if (!(await isPostgresReachable())) {
    if (process.env.CI) throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432, and CI needs it');
    project.provide('pgTemplate', null);
    return async () => {};
  }
  const template = `cairn_test_template_${process.pid}`;
  await withPgAdmin(async (client) => {
    await client.query(`drop database if exists ${template}`);
    await client.query(`create database ${template}`);
  });
  const handle = connectDatabase({ dialect: 'postgres', databaseUrl: pgUrlFor(template), sqlitePath: '' });
  await migrateToLatest(handle);
  await handle.destroy();
  project.provide('pgTemplate', template);
  return async () => {
    await withPgAdmin((client) => client.query(`drop database if exists ${template} with (force)`));
  };
}
