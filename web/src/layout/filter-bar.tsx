/**
 * The filter bar of a list: a search box whose text reaches the query once typing pauses, and selects whose
 * value is one of their options or none. Every list builds its filters from these, so they look and behave
 * the same (labels above, bottoms aligned, a 300 ms pause before searching).
 */
import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';

const SEARCH_PAUSE_MS = 300;

export interface SearchFilterState {
  /** What is in the box. */
  readonly text: string;
  readonly setText: (text: string) => void;
  /** The trimmed text once typing has paused: what the list asks the server for ('' for everything). */
  readonly q: string;
}

/** The state of a list's search box. */
export function useSearchFilter(): SearchFilterState {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), SEARCH_PAUSE_MS);
  return { text, setText, q };
}

export function FilterBar({ children }: { children: ReactNode }) {
  return <Group align="flex-end">{children}</Group>;
}

export function SearchFilter({
  search,
  placeholder,
  width,
}: {
  search: SearchFilterState;
  placeholder: string;
  width: number;
}) {
  return (
    <TextInput
      label="Search"
      placeholder={placeholder}
      value={search.text}
      onChange={(event) => search.setText(event.currentTarget.value)}
      w={width}
    />
  );
}

type Choice<V extends string> = V | { value: V; label: string };

interface ChoiceFilterProps<V extends string> {
  label: string;
  /** Shown when nothing is chosen ("Any status"); a filter without one always has a value. */
  placeholder?: string;
  choices: readonly Choice<V>[];
  value: V | null;
  onChange: (value: V | null) => void;
  width: number;
  searchable?: boolean;
  /** The label is only for screen readers (a filter beside the page title). */
  labelHidden?: boolean;
}

export function ChoiceFilter<V extends string>({
  label,
  placeholder,
  choices,
  value,
  onChange,
  width,
  searchable = false,
  labelHidden = false,
}: ChoiceFilterProps<V>) {
  const values = choices.map((choice) => (typeof choice === 'string' ? choice : choice.value));
  const optional = placeholder !== undefined;
  return (
    <Select
      {...(labelHidden ? { 'aria-label': label } : { label })}
      placeholder={placeholder}
      data={choices}
      clearable={optional}
      allowDeselect={optional}
      searchable={searchable}
      value={value}
      onChange={(chosen) => onChange(values.find((candidate) => candidate === chosen) ?? null)}
      w={width}
    />
  );
}
