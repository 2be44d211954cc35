/**
 * Live events wake up on PostgreSQL: every statement that appends audit events notifies the channel
 * `cairn_audit`, which each `cairn serve` process with open event streams LISTENs on (history/event-stream.ts).
 *
 * One notification per statement with an empty payload rather than one per row with the id: PostgreSQL
 * delivers notifications at commit and folds identical ones of a transaction into one, so a batch of 500
 * analyses wakes each listener once, and the listeners read what is new themselves (ids alone would not say
 * which of them are final: see audit/audit-horizon.ts). SQLite has no NOTIFY; its streams poll instead.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const auditNotify: Migration = {
  name: '0009-audit-notify',
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`create function audit_events_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('cairn_audit', ''); return null; end $$`.execute(db);
    await sql`create trigger audit_events_notify after insert on audit_events
      for each statement execute function audit_events_notify()`.execute(db);
  },
};
