/** An item's label (DataMatrix, human id, name) as the server draws it, to download as PNG or print as PDF. */
import { Anchor, Card, Center, Group, Image, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Item } from './inventory-types';
import { PrintLabelsButton } from './print-labels';

function LabelPreview({ src, alt }: { src: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <Center h={96}>
        <Text size="sm" c="dimmed">
          No label preview available.
        </Text>
      </Center>
    );
  }
  return (
    <Image
      src={src}
      alt={alt}
      fit="contain"
      h={120}
      onError={() => setFailed(true)}
      data-testid="label-preview"
    />
  );
}

export function LabelPanel({ item }: { item: Pick<Item, 'id' | 'humanId' | 'updated'> }) {
  const base = `/api/items/${encodeURIComponent(item.id)}/label`;
  return (
    <Card withBorder padding="lg" data-testid="label-panel">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Label</Title>
        <Anchor href={`${base}.png`} download={`${item.humanId}.png`} size="sm">
          Download PNG
        </Anchor>
      </Group>
      <Card withBorder padding="sm" bg="white">
        {/* Drawn again when the item changes (its name and barcode are on the label). */}
        <LabelPreview key={item.updated.at} src={`${base}.svg`} alt={`Label of ${item.humanId}`} />
      </Card>
      <Group justify="space-between" mt="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          50 × 25 mm, with a DataMatrix code of the barcode (or the human id).
        </Text>
        <PrintLabelsButton itemIds={[item.id]} style={{ flexShrink: 0 }} />
      </Group>
    </Card>
  );
}
