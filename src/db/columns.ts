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

/** JSON text made elsewhere (say, around a column that already holds JSON), kept as it is by toJsonText. */
export class JsonText {
  constructor(readonly text: string) {}
}

export function toJsonText(value: unknown): string | null {
  if (value instanceof JsonText) return value.text;
  return value === undefined || value === null ? null : JSON.stringify(value);
}
