/**
 * The location tree: top-level physicals (rooms, freezers…), each expanding into what it holds, loaded as it
 * is opened. Items sitting in a grid slot (tubes in a box) are left to the grid view unless they are
 * containers with a grid themselves; the path of the selected container is opened. A node found to hold no
 * sub-locations (a box of tubes) loses its chevron instead of opening onto an empty line. Each node is one
 * line: the name, and its type and human id beneath, cut short rather than wrapped.
 */
import { Badge, Button, Group, Loader, NavLink, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../layout/error-alert';
import { useItemList, useItemTypes } from './inventory-queries';
import type { Item, ItemType } from './inventory-types';
import { inNameOrder } from './name-order';

const PAGE = 200;

interface TreeProps {
  selectedId: string | null;
  /** The ids on the path to the selected container (opened automatically). */
  openPath: readonly string[];
  onSelect: (item: Item) => void;
}

function Chevron({ opened }: { opened: boolean }) {
  return (
    <svg
      width="12"
      height="12"
      viewBox="0 0 12 12"
      aria-hidden
      style={{ transform: opened ? 'rotate(90deg)' : undefined, transition: 'transform 120ms ease' }}
    >
      <path
        d="M4 2.5 7.5 6 4 9.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}

/**
 * The sub-locations of `parent` (an item id or `root`), in name order once all are loaded; `items` is
 * undefined until they are. Nodes and the level below them share the query.
 */
function useSubLocations(parent: string, typesById: Map<string, ItemType>, enabled = true) {
  // The top level holds the lab's own places; samples that sit nowhere yet are listed with their project.
  const list = useItemList(
    {
      class: 'physical',
      parent,
      ...(parent === 'root' && { project: 'none' }),
      sort: 'name',
      limit: PAGE,
    },
    { enabled },
  );
  const items = list.data
    ? inNameOrder(
        list.data.pages
          .flatMap((page) => page.items)
          .filter((item) => item.slot === null || typesById.get(item.type.id)?.grid),
        !list.hasNextPage,
      )
    : undefined;
  return { list, items };
}

function TreeLevel({
  parent,
  depth,
  typesById,
  ...tree
}: TreeProps & { parent: string; depth: number; typesById: Map<string, ItemType> }) {
  const { list, items } = useSubLocations(parent, typesById);
  if (list.isPending) return <Loader size="xs" ml={depth * 16 + 12} my={6} />;
  if (list.isError) return <ErrorAlert error={list.error} />;
  if (items === undefined || items.length === 0) {
    // Below the top level an empty level shows nothing: its node has dropped its chevron.
    return depth === 0 ? (
      <Text size="sm" c="dimmed" p="sm">
        No locations yet. Create a room or a freezer.
      </Text>
    ) : null;
  }
  return (
    <>
      {items.map((item) => (
        <TreeNode key={item.id} item={item} depth={depth} typesById={typesById} {...tree} />
      ))}
      {list.hasNextPage && (
        <Button
          variant="subtle"
          size="compact-xs"
          ml={depth * 16 + 28}
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          Show more
        </Button>
      )}
    </>
  );
}

function TreeNode({
  item,
  depth,
  typesById,
  ...tree
}: TreeProps & { item: Item; depth: number; typesById: Map<string, ItemType> }) {
  const [manual, setManual] = useState<boolean | null>(null);
  const wantsOpen = manual ?? tree.openPath.includes(item.id);
  const selected = tree.selectedId === item.id;
  const below = useSubLocations(item.id, typesById, wantsOpen);
  // Known to hold no sub-locations (once opened and loaded): a leaf, without a chevron.
  const leaf = below.items?.length === 0 && !below.list.hasNextPage;
  const opened = wantsOpen && !leaf;
  return (
    <>
      <NavLink
        component="button"
        active={selected}
        variant="light"
        pl={depth * 16 + 8}
        py={5}
        data-testid="tree-node"
        data-item-id={item.id}
        aria-expanded={leaf ? undefined : opened}
        title={`${item.name} · ${item.type.name} · ${item.humanId}`}
        styles={{ body: { minWidth: 0, overflow: 'hidden' } }}
        label={
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={selected ? 600 : 500} truncate>
              {item.name}
            </Text>
            {item.slot && (
              <Badge size="xs" variant="outline" color="gray">
                {item.slot}
              </Badge>
            )}
          </Group>
        }
        description={
          <Text size="xs" c="dimmed" truncate data-testid="tree-node-description">
            {item.type.name} · {item.humanId}
          </Text>
        }
        leftSection={
          <span
            role="presentation"
            onClick={(event) => {
              event.stopPropagation();
              if (!leaf) setManual(!opened);
            }}
            style={{
              display: 'flex',
              padding: 2,
              color: 'var(--mantine-color-gray-6)',
              visibility: leaf ? 'hidden' : undefined,
            }}
          >
            <Chevron opened={opened} />
          </span>
        }
        onClick={() => {
          if (selected) setManual(!opened);
          else {
            setManual(true);
            tree.onSelect(item);
          }
        }}
      />
      {opened && <TreeLevel parent={item.id} depth={depth + 1} typesById={typesById} {...tree} />}
    </>
  );
}

export function LocationTree(props: TreeProps) {
  const types = useItemTypes();
  const typesById = new Map((types.data ?? []).map((type) => [type.id, type]));
  if (types.isPending) return <Loader size="sm" m="sm" />;
  return (
    <Stack gap={0} data-testid="location-tree">
      <TreeLevel parent="root" depth={0} typesById={typesById} {...props} />
    </Stack>
  );
}
