/** The unique indexes of items (one live item per slot, one live item per barcode) as the conflicts they mean. */
import { uniqueViolation } from '../../db/constraint-errors.js';
import { BarcodeTaken, SlotOccupied } from '../../errors/catalogue.js';

/** Turns a unique-index violation that slipped past the checks (a concurrent writer) into a 409. */
export function translateUniqueViolation(error: unknown): unknown {
  const constraint = uniqueViolation(error);
  if (constraint === null) return error;
  if (constraint.includes('slot')) return new SlotOccupied('That slot was just taken by another item');
  if (constraint.includes('barcode')) return new BarcodeTaken('That barcode was just given to another item');
  return error;
}
