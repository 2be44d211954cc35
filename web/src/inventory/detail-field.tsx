/**
 * A type-specific field's value under its name and unit (`volume_ul` → "VOLUME (µl)"). A long value (a
 * plasmid's sequence) takes the card's whole width, folded to a few lines with "Show all", and an unbroken
 * one (a sequence) reads as monospace text that wraps anywhere, with a copy button.
 */
import { Box, Button, CopyButton, Spoiler, Text } from '@mantine/core';
import { DetailField } from '../layout/details-card';
import { fieldLabelParts } from './field-inputs';
import { fieldLayoutOf } from './field-layout';
import type { ItemFieldValue } from './inventory-types';

/** About five lines of text: taller values fold. */
const FOLDED_HEIGHT = 104;

function LongValue({ value, monospace }: { value: string; monospace: boolean }) {
  return (
    <Spoiler
      maxHeight={FOLDED_HEIGHT}
      showLabel={`Show all (${value.length.toLocaleString('en')} characters)`}
      hideLabel="Show less"
      data-testid="long-field-value"
      styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}
    >
      <Box
        component="div"
        bg={monospace ? 'gray.0' : undefined}
        p={monospace ? 8 : 0}
        ff={monospace ? 'monospace' : undefined}
        fz={monospace ? 'xs' : 'sm'}
        style={{
          whiteSpace: 'pre-wrap',
          wordBreak: monospace ? 'break-all' : undefined,
          overflowWrap: 'anywhere',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      >
        {value}
      </Box>
    </Spoiler>
  );
}

export function fieldText(value: ItemFieldValue | undefined) {
  if (value === undefined || value === '')
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

export function TypeFieldValue({ name, value }: { name: string; value: ItemFieldValue | undefined }) {
  const { text, unit } = fieldLabelParts(name);
  const layout = typeof value === 'string' ? fieldLayoutOf(value) : null;
  if (typeof value === 'string' && layout?.wide) {
    return (
      <DetailField
        label={text}
        unit={unit}
        wide
        extra={
          layout.monospace && (
            <CopyButton value={value}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          )
        }
      >
        <LongValue value={value} monospace={layout.monospace} />
      </DetailField>
    );
  }
  return (
    <DetailField label={text} unit={unit}>
      {fieldText(value)}
    </DetailField>
  );
}
