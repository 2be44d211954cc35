/** A type-specific field's value under its name and unit: `volume_ul` → "VOLUME (µl)". */
import type { ReactNode } from 'react';
import { DetailField } from '../layout/details-card';
import { fieldLabelParts } from './field-inputs';

export function TypeFieldValue({ name, children }: { name: string; children: ReactNode }) {
  const { text, unit } = fieldLabelParts(name);
  return (
    <DetailField label={text} unit={unit}>
      {children}
    </DetailField>
  );
}
