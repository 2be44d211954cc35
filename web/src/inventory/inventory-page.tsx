/**
 * The inventory browser: a location tree beside the selected container (its path, its slot grid or its
 * contents); a catalogue of virtual items (plasmids, strains…); and the deleted items, to restore. The
 * selected container and the tab live in the address (?container=…&tab=…) so they survive a reload.
 */
import { Badge, Button, Card, Grid, Group, ScrollArea, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ChoiceFilter, FilterBar, SearchFilter, useSearchFilter } from '../layout/filter-bar';
import { QueryPage } from '../layout/query-page';
import { ContainerView } from './container-view';
import {
  typesOfClass,
  useItem,
  useItemList,
  useItemPath,
  useItemTypes,
  useRestoreItem,
} from './inventory-queries';
import type { Item } from './inventory-types';
import { ItemTable } from './item-table';
import { LocationBreadcrumb } from './location-breadcrumb';
import { LocationTree } from './location-tree';
import { MoveItemDialog } from './move-item-dialog';
import { inNameOrder } from './name-order';
import { NewItemButton } from './new-item-button';
import { ListCard } from '../layout/list-card';

const TABS = ['locations', 'catalogue', 'deleted'] as const;
type Tab = (typeof TABS)[number];
const isTab = (value: string | null): value is Tab => TABS.includes(value as Tab);

function SelectedContainer({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const item = useItem(id);
  return (
    <QueryPage query={item} notFound={<Text c="dimmed">That location no longer exists.</Text>}>
      {(container) => <ContainerDetails container={container} onSelect={onSelect} />}
    </QueryPage>
  );
}

function ContainerDetails({ container, onSelect }: { container: Item; onSelect: (id: string) => void }) {
  const path = useItemPath(container.id);
  const [moving, setMoving] = useState(false);
  return (
    <Stack gap="md" data-testid="selected-container">
      <Card withBorder padding="md">
        <Stack gap="xs">
          {path.data && (
            <LocationBreadcrumb
              path={path.data}
              hrefOf={(entry) => `/inventory?container=${encodeURIComponent(entry.id)}`}
            />
          )}
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <Title order={3} data-testid="container-name">
                {container.name}
              </Title>
              <Badge variant="light" color="gray" ff="monospace">
                {container.humanId}
              </Badge>
              <Badge variant="light" data-testid="container-type">
                {container.type.name}
              </Badge>
              {container.barcode && (
                <Text size="xs" c="dimmed" ff="monospace">
                  {container.barcode}
                </Text>
              )}
            </Group>
            <Group gap="xs">
              <Button
                size="xs"
                variant="subtle"
                component="a"
                href={`/api/items/${encodeURIComponent(container.id)}/subtree.csv`}
                download
              >
                Export CSV
              </Button>
              <Button size="xs" variant="default" onClick={() => setMoving(true)}>
                Move…
              </Button>
              <Button size="xs" variant="default" component={Link} to={`/inventory/items/${container.id}`}>
                Item page
              </Button>
            </Group>
          </Group>
        </Stack>
      </Card>
      <ContainerView container={container} onBrowse={(child) => onSelect(child.id)} />
      <MoveItemDialog item={moving ? container : null} onClose={() => setMoving(false)} />
    </Stack>
  );
}

function LocationsTab({
  selectedId,
  onSelect,
}: {
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const path = useItemPath(selectedId);
  const openPath = (path.data ?? []).filter((entry) => entry.depth > 0).map((entry) => entry.id);
  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
        <Card withBorder padding="xs">
          <Group justify="space-between" px="xs" pb="xs">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">
              Locations
            </Text>
          </Group>
          <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto">
            <LocationTree
              selectedId={selectedId}
              openPath={openPath}
              onSelect={(item) => onSelect(item.id)}
            />
          </ScrollArea.Autosize>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
        {selectedId ? (
          <SelectedContainer id={selectedId} onSelect={onSelect} />
        ) : (
          <Card withBorder padding="xl">
            <Stack align="center" gap={4}>
              <Text fw={500}>Choose a location</Text>
              <Text size="sm" c="dimmed">
                Pick a room, freezer, rack or box in the tree to see what it holds.
              </Text>
            </Stack>
          </Card>
        )}
      </Grid.Col>
    </Grid>
  );
}

function CatalogueTab() {
  const types = useItemTypes();
  const search = useSearchFilter();
  const { q } = search;
  const [type, setType] = useState<string | null>(null);
  const list = useItemList({
    class: 'virtual',
    sort: 'name',
    limit: 100,
    ...(q && { q }),
    ...(type && { type }),
  });
  const items = inNameOrder(list.data?.pages.flatMap((page) => page.items) ?? [], !list.hasNextPage);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <FilterBar>
          <SearchFilter search={search} placeholder="Name, human id or barcode" width={280} />
          <ChoiceFilter
            label="Type"
            placeholder="Any type"
            choices={typesOfClass(types.data, 'virtual').map((candidate) => candidate.name)}
            value={type}
            onChange={setType}
            width={200}
          />
        </FilterBar>
        <NewItemButton
          label="New catalogue item"
          title="New catalogue item"
          itemClass="virtual"
          initialType="plasmid"
        />
      </Group>
      <ListCard query={list}>
        <ItemTable
          items={items}
          testId="catalogue-table"
          empty={
            q || type ? 'No catalogue item matches.' : 'No plasmids, strains, primers or antibodies yet.'
          }
          hasMore={list.hasNextPage}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
        />
      </ListCard>
    </Stack>
  );
}

function RestoreButton({ item }: { item: Item }) {
  const restore = useRestoreItem(item.id);
  return (
    <Stack gap={2} align="flex-end">
      <Button size="compact-xs" variant="light" loading={restore.isPending} onClick={() => restore.mutate()}>
        Restore
      </Button>
      {restore.error instanceof Error && (
        <Text size="xs" c="red" maw={260} ta="right">
          {restore.error.message}
        </Text>
      )}
    </Stack>
  );
}

function DeletedTab() {
  const search = useSearchFilter();
  const { q } = search;
  const list = useItemList({ deleted: true, sort: '-humanId', limit: 100, ...(q && { q }) });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <FilterBar>
        <SearchFilter search={search} placeholder="Name, human id or barcode" width={280} />
      </FilterBar>
      <ListCard query={list}>
        <ItemTable
          items={items}
          showSlot
          testId="deleted-table"
          empty="Nothing has been deleted."
          actions={(item) => <RestoreButton item={item} />}
          hasMore={list.hasNextPage}
          loadingMore={list.isFetchingNextPage}
          onLoadMore={() => void list.fetchNextPage()}
        />
      </ListCard>
    </Stack>
  );
}

export function InventoryPage() {
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab');
  const tab: Tab = isTab(tabParam) ? tabParam : 'locations';
  const selectedId = params.get('container');
  const update = (changes: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Inventory</Title>
        <Group gap="xs">
          <Button variant="subtle" component="a" href="/api/exports/items.csv" download>
            Export CSV
          </Button>
          <Button variant="default" component={Link} to="/inventory/import">
            Import CSV
          </Button>
          <NewItemButton
            label="New top-level location"
            title="New top-level location"
            itemClass="physical"
            initialType="room"
            onCreated={(item) => update({ tab: null, container: item.id })}
          />
        </Group>
      </Group>
      <Tabs
        value={tab}
        onChange={(value) => update({ tab: value === 'locations' ? null : value })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="locations">Locations</Tabs.Tab>
          <Tabs.Tab value="catalogue">Catalogue</Tabs.Tab>
          <Tabs.Tab value="deleted">Deleted</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="locations">
          <LocationsTab selectedId={selectedId} onSelect={(id) => update({ container: id })} />
        </Tabs.Panel>
        <Tabs.Panel value="catalogue">
          <CatalogueTab />
        </Tabs.Panel>
        <Tabs.Panel value="deleted">
          <DeletedTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
