/** Response schemas of item files. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';

export const ItemFileSchema = Type.Object({
  id: Type.String(),
  itemId: Type.String(),
  /** The uploaded name, sanitized: a label, never a path. */
  name: Type.String(),
  /** Detected from the content. */
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Nullable(Type.String()),
});
export type ItemFile = Static<typeof ItemFileSchema>;
