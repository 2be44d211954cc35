/**
 * What a route sees of the application: the Fastify instance with TypeBox types (`App`) and everything a
 * route needs, built once per process (`AppContext`). Routes import this file, never the app that builds it.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Config } from '../config/config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { FileStore } from '../files/file-store.js';
import type { LoginThrottle } from '../modules/accounts/login-throttle.js';
import type { HideUnseenReferences } from '../modules/history/history.service.js';
import type { RecordsOfSessions } from '../modules/instruments/sessions.service.js';
import type { PlacedInSlot } from '../modules/inventory/hierarchy.service.js';
import type { Logger } from './logger.js';

/** Everything a route needs, built once per process. */
export interface AppContext {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly log: Logger;
  readonly loginThrottle: LoginThrottle;
  readonly files: FileStore;
  /** Entity types whose history every signed-in user may read (the lab-wide inventory's, HPC resources). */
  readonly labWideAuditTypes: readonly string[];
  /** What the history blanks in events for those who may not see it (items in others' sample containers). */
  readonly hideUnseenAuditReferences: HideUnseenReferences;
  /** What a move tells when it puts a project's item into a grid slot (the samples module stores samples). */
  readonly placedInSlot: PlacedInSlot;
  /**
   * Tells this process's embedded agents that these resources' jobs changed (queued, or asked to cancel), so
   * that they act at once instead of at their next poll or heartbeat.
   */
  readonly wakeAgents: (resourceIds: readonly string[]) => void;
  /** The record of each session that has one (the records module answers; sessions link to them). */
  readonly recordsOfSessions: RecordsOfSessions;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
