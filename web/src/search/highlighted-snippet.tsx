/** A snippet as the server cut it: plain text with the query's words in <mark> (never HTML from the server). */
import { Mark, Text } from '@mantine/core';
import type { SnippetSegment } from './search-types';

export function HighlightedSnippet({ segments }: { segments: readonly SnippetSegment[] }) {
  if (segments.length === 0) return null;
  return (
    <Text size="sm" c="dimmed" data-testid="search-snippet">
      {segments.map((segment, index) =>
        segment.match ? (
          <Mark key={index} color="yellow">
            {segment.text}
          </Mark>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </Text>
  );
}
