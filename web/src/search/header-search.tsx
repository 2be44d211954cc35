/**
 * The search box of the app's header. Completions appear as the user types (after a short pause); `/`
 * anywhere outside a text field focuses it; ArrowUp/ArrowDown move through the completions, Enter opens the
 * chosen one's page — or, when none is chosen, the results page of what was typed — and Escape closes the
 * list (or, when it is closed, leaves the box).
 */
import { Badge, Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useSuggestions } from './search-queries';
import { kindLabels, pageOf, resultsPageOf } from './search-targets';

const TYPING_PAUSE_MS = 200;

export function HeaderSearch() {
  const navigate = useNavigate();
  const location = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [text, setText] = useState('');
  const [typed] = useDebouncedValue(text.trim(), TYPING_PAUSE_MS);
  const suggestions = useSuggestions(typed);
  const options = text.trim() === '' ? [] : (suggestions.data?.suggestions ?? []);

  // The box shows the query of the results page it led to, also after a reload or "back".
  const pageQuery = location.pathname === '/search' ? new URLSearchParams(location.search).get('q') : null;
  useEffect(() => {
    if (pageQuery !== null) setText(pageQuery);
  }, [pageQuery]);

  // Outside text fields (where `/` is typed text), `/` goes to the box.
  useHotkeys([
    [
      '/',
      () => {
        input.current?.focus();
        input.current?.select();
      },
    ],
  ]);

  const leave = () => {
    combobox.closeDropdown();
    input.current?.blur();
  };

  const openResults = () => {
    const q = text.trim();
    if (q === '') return;
    leave();
    void navigate(resultsPageOf({ q }));
  };

  const openSuggestion = (value: string) => {
    const chosen = options.find((option) => `${option.kind}:${option.id}` === value);
    if (!chosen) return;
    const page = pageOf(chosen.kind, chosen.id);
    leave();
    if (page === null) {
      // A thing without a page of its own (a session) is shown among the results of its kind.
      void navigate(resultsPageOf({ q: text.trim(), kind: chosen.kind }));
    } else {
      setText('');
      void navigate(page);
    }
  };

  // Runs before the combobox's own keys: Enter with a chosen completion is the combobox's to handle.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter') {
      const chosen = combobox.dropdownOpened && combobox.getSelectedOptionIndex() !== -1;
      if (!chosen) {
        event.preventDefault();
        openResults();
      }
    } else if (event.key === 'Escape') {
      // Not the search input's own Escape, which would empty it: the list closes, then the box is left.
      event.preventDefault();
      if (!combobox.dropdownOpened || options.length === 0) input.current?.blur();
    }
  };

  return (
    <Combobox store={combobox} onOptionSubmit={openSuggestion} withinPortal position="bottom-start">
      <Combobox.Target>
        <TextInput
          ref={input}
          flex={1}
          miw={110}
          maw={420}
          placeholder="Search  ( / )"
          aria-label="Find in Cairn"
          type="search"
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            combobox.resetSelectedOption();
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={onKeyDown}
          rightSection={suggestions.isFetching ? <Loader size="xs" /> : null}
        />
      </Combobox.Target>
      <Combobox.Dropdown
        hidden={options.length === 0}
        // As wide as the box, but never too narrow to read on a phone.
        miw="min(360px, 92vw)"
        data-testid="search-suggestions"
      >
        <Combobox.Options>
          {options.map((option) => (
            <Combobox.Option key={`${option.kind}:${option.id}`} value={`${option.kind}:${option.id}`}>
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Text size="sm" truncate>
                  {option.title}
                </Text>
                <Group gap={6} wrap="nowrap">
                  {option.humanId && option.humanId !== option.title && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {option.humanId}
                    </Text>
                  )}
                  <Badge size="xs" variant="light" color="gray">
                    {kindLabels[option.kind]}
                  </Badge>
                </Group>
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
