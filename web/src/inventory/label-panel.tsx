/** An item's label (DataMatrix, human id, name) as the server draws it, to download as PNG or print as PDF. */
import { Anchor, Card, Group, Image, Text, Title } from '@mantine/core';
import type { Item } from './inventory-types';

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
      <Card withBorder padding="sm" bg="gray.0">
        <Image
          // Re-rendered when the item changes (its name or barcode are on the label).
          key={item.updated.at}
          src={`${base}.svg`}
          alt={`Label of ${item.humanId}`}
          fit="contain"
          mah={140}
          data-testid="label-preview"
        />
      </Card>
      <Text size="xs" c="dimmed" mt="xs">
        50 × 25 mm, with a DataMatrix code of the barcode (or the human id).
      </Text>
    </Card>
  );
}
