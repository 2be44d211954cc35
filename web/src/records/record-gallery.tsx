/**
 * The previews of a record's datasets as a grid of thumbnails, each captioned with its file's name and
 * opening the full preview. Images load as they scroll into view: a record may hold hundreds of datasets.
 */
import { Anchor, Card, Image, SimpleGrid, Text } from '@mantine/core';
import type { RecordDocument } from './record-types';

export function RecordGallery({ document }: { document: RecordDocument }) {
  const previews = document.activities.flatMap((activity) =>
    activity.datasets.flatMap((dataset) =>
      dataset.preview ? [{ name: dataset.name, location: dataset.location, url: dataset.preview }] : [],
    ),
  );
  if (previews.length === 0) {
    return (
      <Text c="dimmed" data-testid="record-gallery">
        No previews.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} data-testid="record-gallery">
      {previews.map((preview) => (
        <Card key={preview.location} withBorder padding="xs">
          <Card.Section>
            <Anchor href={preview.url} target="_blank" rel="noreferrer">
              <Image src={preview.url} alt={preview.name} h={160} fit="contain" loading="lazy" />
            </Anchor>
          </Card.Section>
          <Text size="xs" mt="xs" truncate="end" title={preview.location}>
            {preview.name}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
