/** Portable column values: ISO-8601 timestamps as text, UUID ids, booleans as 0/1, JSON as text. */
import { randomUUID } from 'node:crypto';

export function nowIso(): string {
  return new Date().toISOString();
}

export function newId(): string {
  return randomUUID();
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function toJsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
