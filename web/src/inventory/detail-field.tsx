/** One labelled value in a details card (the label in small capitals, a unit kept as it is written). */
import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { fieldLabelParts } from './field-inputs';

export function DetailField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        <Text span inherit tt="uppercase">
          {label}
        </Text>
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** A type-specific field's value under its name and unit: `volume_ul` → "VOLUME (µl)". */
export function TypeFieldValue({ name, children }: { name: string; children: ReactNode }) {
  const { text, unit } = fieldLabelParts(name);
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        <Text span inherit tt="uppercase">
          {text}
        </Text>
        {unit && ` (${unit})`}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
