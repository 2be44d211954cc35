/**
 * The form of an item, for creating one (pick its type) and for editing one (its type is fixed): name,
 * barcode, description and the type's own fields. Field errors come from the checks in field-inputs and
 * from the server.
 */
import { Button, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { ErrorAlert } from '../layout/error-alert';
import { checkDraft, draftOf, FieldInputs, valuesOfDraft, type FieldDraft } from './field-inputs';
import { useItem } from './inventory-queries';
import type { Item, ItemFieldValue, ItemType } from './inventory-types';
import { ItemSearch } from './item-search';

export interface ItemFormResult {
  type: string;
  name: string;
  description: string;
  barcode: string | null;
  /** The catalogue item (plasmid, strain…) a physical is an instance of. */
  virtualId: string | null;
  /** For a creation: only filled fields; for an update: emptied fields are null. */
  fields: Record<string, ItemFieldValue | null>;
}

interface ItemFormProps {
  /** The types to choose from (creation) or the item's own type (editing). */
  types: readonly ItemType[];
  item?: Item;
  initialType?: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (result: ItemFormResult) => void;
  onCancel?: () => void;
  /** Whether a physical can be linked to its catalogue item here (samples cannot). */
  withVirtual?: boolean;
  /** Shown above the buttons (e.g. where the new item goes). */
  children?: ReactNode;
}

export function ItemForm({
  types,
  item,
  initialType,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
  withVirtual = true,
  children,
}: ItemFormProps) {
  const [typeName, setTypeName] = useState<string | null>(
    item?.type.name ?? initialType ?? (types.length === 1 ? (types[0]?.name ?? null) : null),
  );
  const type = types.find((candidate) => candidate.name === typeName);
  const definitions = type?.fields ?? [];
  const [name, setName] = useState(item?.name ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [barcode, setBarcode] = useState(item?.barcode ?? '');
  const [draft, setDraft] = useState<FieldDraft>(() => draftOf(definitions, item?.fields));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [typeMissing, setTypeMissing] = useState(false);
  const currentVirtual = useItem(item?.virtualId ?? null);
  const [virtual, setVirtual] = useState<Item | null | undefined>(undefined);
  // Until the user picks one, an edited item keeps the catalogue item it had.
  const chosenVirtual = virtual === undefined ? (currentVirtual.data ?? null) : virtual;
  const [virtualMissing, setVirtualMissing] = useState(false);

  const chooseType = (next: string | null) => {
    setTypeName(next);
    setTypeMissing(false);
    setProblems({});
    const nextType = types.find((candidate) => candidate.name === next);
    setDraft(draftOf(nextType?.fields ?? []));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!type) {
      setTypeMissing(true);
      return;
    }
    const found = checkDraft(definitions, draft);
    setProblems(found);
    const needsVirtual = withVirtual && type.virtual && chosenVirtual === null && !item?.virtualId;
    setVirtualMissing(needsVirtual);
    if (Object.keys(found).length > 0 || needsVirtual) return;
    onSubmit({
      type: type.name,
      name: name.trim(),
      description,
      barcode: barcode.trim() || null,
      virtualId: virtual === undefined ? (item?.virtualId ?? null) : (virtual?.id ?? null),
      fields: valuesOfDraft(definitions, draft, item !== undefined),
    });
  };

  return (
    <form onSubmit={submit} aria-label="Item" noValidate>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        {item === undefined && (
          <Select
            label="Type"
            placeholder="Choose a type"
            required
            searchable
            data={types.map((candidate) => ({
              value: candidate.name,
              label: candidate.grid
                ? `${candidate.name} (${candidate.grid.rows}×${candidate.grid.columns})`
                : candidate.name,
            }))}
            value={typeName}
            onChange={chooseType}
            error={typeMissing ? 'Choose a type' : fieldErrorOf(error, 'type')}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Group grow align="flex-start">
          <TextInput
            label="Name"
            required
            data-autofocus
            maxLength={300}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldErrorOf(error, 'name')}
          />
          <TextInput
            label="Barcode"
            placeholder="Optional"
            value={barcode}
            onChange={(event) => setBarcode(event.currentTarget.value)}
            error={fieldErrorOf(error, 'barcode')}
          />
        </Group>
        {withVirtual && type?.class === 'physical' && (
          <ItemSearch
            label={type.virtual ? 'Instance of (required)' : 'Instance of (optional)'}
            placeholder="A plasmid, strain, primer… from the catalogue"
            value={chosenVirtual}
            onChange={(next) => {
              setVirtual(next);
              setVirtualMissing(false);
            }}
            filter={{ class: 'virtual' }}
            error={
              virtualMissing
                ? `A ${type.name} must be an instance of a catalogue item`
                : fieldErrorOf(error, 'virtualId')
            }
          />
        )}
        <FieldInputs
          definitions={definitions}
          draft={draft}
          onChange={(next) => {
            setDraft(next);
            setProblems({});
          }}
          problems={problems}
          error={error}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxRows={8}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={fieldErrorOf(error, 'description')}
        />
        {children}
        <Group justify="flex-end" mt="xs">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The body of POST /api/items from a filled form: empty optional values are left out. */
export function creationOf(result: ItemFormResult) {
  const fields = Object.fromEntries(Object.entries(result.fields).filter(([, value]) => value !== null));
  return {
    type: result.type,
    name: result.name,
    ...(result.description.trim() && { description: result.description }),
    ...(result.barcode !== null && { barcode: result.barcode }),
    ...(result.virtualId !== null && { virtualId: result.virtualId }),
    ...(Object.keys(fields).length > 0 && { fields }),
  };
}

/** The body of PATCH /api/items/:id: only what changed. */
export function changesOf(item: Item, result: ItemFormResult) {
  const fields = Object.fromEntries(
    Object.entries(result.fields).filter(([name, value]) => (item.fields[name] ?? null) !== value),
  );
  return {
    ...(result.name !== item.name && { name: result.name }),
    ...(result.description !== item.description && { description: result.description }),
    ...(result.barcode !== item.barcode && { barcode: result.barcode }),
    ...(result.virtualId !== item.virtualId && { virtualId: result.virtualId }),
    ...(Object.keys(fields).length > 0 && { fields }),
  };
}
