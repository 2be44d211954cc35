/** An id shown as it is, where nothing readable can be shown for it (still loading, or not visible to you). */
import { Code } from '@mantine/core';

export function RawId({ id }: { id: string }) {
  return (
    <Code fz="xs" style={{ wordBreak: 'break-all' }}>
      {id}
    </Code>
  );
}
