/**
 * Finding an item: a searchable select that asks the server (name, human id or barcode) as the user types,
 * and a scan box that resolves a scanned code exactly (scanners type the code and press Enter).
 */
import { Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { useItemList, lookUpBarcode } from './inventory-queries';
import type { Item, ItemQuery } from './inventory-types';

export function itemLabel(item: Pick<Item, 'humanId' | 'name'> & { type: { name: string } }): string {
  return `${item.name} · ${item.humanId} (${item.type.name})`;
}

interface ItemSearchProps {
  label: string;
  placeholder?: string;
  value: Item | null;
  onChange: (item: Item | null) => void;
  filter?: Omit<ItemQuery, 'q' | 'cursor' | 'limit'>;
  /** Items that cannot be chosen (e.g. the container an item is moved into). */
  excludeIds?: readonly string[];
  /** Show the barcode scan box under the search. */
  withScan?: boolean;
  error?: string | undefined;
  autoFocus?: boolean;
}

export function ItemSearch({
  label,
  placeholder = 'Name, human id or barcode',
  value,
  onChange,
  filter = {},
  excludeIds = [],
  withScan = false,
  error,
  autoFocus,
}: ItemSearchProps) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const results = useItemList({ ...filter, ...(q && { q }), limit: 20, sort: 'name' });
  const found = (results.data?.pages[0]?.items ?? []).filter((item) => !excludeIds.includes(item.id));
  const options = value && !found.some((item) => item.id === value.id) ? [value, ...found] : found;

  const [code, setCode] = useState('');
  const [scanError, setScanError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const scan = async () => {
    const text = code.trim();
    if (!text) return;
    setScanning(true);
    setScanError(null);
    try {
      const item = await lookUpBarcode(text);
      if (excludeIds.includes(item.id)) setScanError(`${item.humanId} cannot be chosen here`);
      else if (filter.class && item.class !== filter.class)
        setScanError(`${item.humanId} is a ${item.class} item`);
      else {
        onChange(item);
        setCode('');
      }
    } catch (failure) {
      setScanError(
        failure instanceof ApiError && failure.status === 404
          ? `Nothing has the code ${text}`
          : failure instanceof Error
            ? failure.message
            : 'The lookup failed',
      );
    } finally {
      setScanning(false);
    }
  };

  return (
    <Stack gap="xs">
      <Select
        label={label}
        placeholder={placeholder}
        searchable
        clearable
        autoFocus={autoFocus}
        searchValue={search}
        onSearchChange={setSearch}
        // The server already filtered; show what it answered.
        filter={({ options: all }) => all}
        nothingFoundMessage={results.isFetching ? 'Searching…' : 'No item matches'}
        data={options.map((item) => ({ value: item.id, label: itemLabel(item) }))}
        value={value?.id ?? null}
        onChange={(id) => onChange(options.find((item) => item.id === id) ?? null)}
        error={error}
        comboboxProps={{ withinPortal: true }}
        maxDropdownHeight={260}
      />
      {withScan && (
        <TextInput
          label="…or scan a barcode"
          placeholder="Scan or type a code, then press Enter"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void scan();
            }
          }}
          error={scanError}
          disabled={scanning}
        />
      )}
      {value && (
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            Chosen:
          </Text>
          <Text size="xs" fw={600} data-testid="chosen-item">
            {itemLabel(value)}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
