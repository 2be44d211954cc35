/** Another item named where a record refers to it (a history's box, a deleted tube's old place). */
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { RawId } from '../layout/raw-id';
import { useItemIncludingDeleted } from './inventory-queries';

/**
 * An item by human id and name, linked to its page (a deleted one marked so); its raw id while loading or
 * when the reader may not see it.
 */
export function ItemReference({ id }: { id: string }) {
  const item = useItemIncludingDeleted(id);
  if (!item.data) return <RawId id={id} />;
  const { humanId, name, deletedAt } = item.data;
  return (
    <>
      <Anchor component={Link} to={`/inventory/items/${id}`} inherit>
        {humanId} {name}
      </Anchor>
      {deletedAt !== null && (
        <Text span inherit c="dimmed">
          {' '}
          (deleted)
        </Text>
      )}
    </>
  );
}
