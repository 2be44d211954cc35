/**
 * Item types named as a person writes them: by id, or by name in any case and spacing, with punctuation and
 * a trailing plural tolerated (`Tubes` → tube, `96 well plates` → 96-well plate). Loaded once per import.
 */
import type { Db } from '../../db/database.js';
import type { FieldDefinition } from '../inventory/field-values.js';
import type { ItemClass } from '../inventory/inventory.schema.js';
import { listTypes } from '../inventory/types.service.js';
import { normalizeHeader } from './csv-columns.js';

export interface CatalogType {
  id: string;
  name: string;
  itemClass: ItemClass;
  fields: FieldDefinition[];
  requiresVirtual: boolean;
  grid: { rows: number; columns: number } | null;
}

export type TypeResolution = { type: CatalogType; problem: null } | { type: null; problem: string };

function spacedKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

export class TypeCatalog {
  readonly #byId = new Map<string, CatalogType>();
  readonly #bySpacedName = new Map<string, CatalogType>();
  readonly #byLooseName = new Map<string, CatalogType[]>();
  readonly #resolved = new Map<string, TypeResolution>();

  constructor(readonly types: readonly CatalogType[]) {
    for (const type of types) {
      this.#byId.set(type.id, type);
      this.#bySpacedName.set(spacedKey(type.name), type);
      const loose = normalizeHeader(type.name);
      this.#byLooseName.set(loose, [...(this.#byLooseName.get(loose) ?? []), type]);
    }
  }

  /** Every type, as the types service describes them. */
  static async load(db: Db): Promise<TypeCatalog> {
    const types = await listTypes(db, {});
    return new TypeCatalog(
      types.map((type) => ({
        id: type.id,
        name: type.name,
        itemClass: type.class,
        fields: type.fields.map((field) => ({
          name: field.name,
          kind: field.kind,
          required: field.required,
          ...(field.options !== undefined && { options: field.options }),
          ...(field.alphabet !== undefined && { alphabet: field.alphabet }),
        })),
        requiresVirtual: type.virtual,
        grid: type.grid,
      })),
    );
  }

  /** The type a person meant, or why there is none (unknown, or more than one loose match). */
  resolve(text: string): TypeResolution {
    const cached = this.#resolved.get(text);
    if (cached !== undefined) return cached;
    const resolution = this.#resolveUncached(text);
    this.#resolved.set(text, resolution);
    return resolution;
  }

  #resolveUncached(text: string): TypeResolution {
    const exact = this.#byId.get(text.trim()) ?? this.#bySpacedName.get(spacedKey(text));
    if (exact !== undefined) return { type: exact, problem: null };
    const loose = normalizeHeader(text);
    const singulars = [loose, loose.replace(/s$/, ''), loose.replace(/es$/, '')];
    for (const key of singulars) {
      const matches = this.#byLooseName.get(key) ?? [];
      if (matches.length === 1 && matches[0] !== undefined) return { type: matches[0], problem: null };
      if (matches.length > 1)
        return {
          type: null,
          problem: `type "${text.trim()}" could be any of ${matches.map((type) => type.name).join(', ')}; write the name exactly`,
        };
    }
    const known = this.types.map((type) => type.name);
    return {
      type: null,
      problem: `there is no type "${text.trim()}" (types: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''})`,
    };
  }
}
