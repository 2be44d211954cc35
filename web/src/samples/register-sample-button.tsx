/**
 * "Register sample": a sample is a physical item owned by the project, so the form is the item form (type,
 * name, barcode, the type's fields) plus the collection date, the starting status and, optionally, where it
 * is stored (a container and a free slot).
 */
import { Button, Divider, Group, Modal, Select, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { typesOfClass, useItemTypes } from '../inventory/inventory-queries';
import { creationOf, ItemForm } from '../inventory/item-form';
import { LocationPicker, type Location } from '../inventory/location-picker';
import { useCreateSample } from './sample-queries';
import { isSampleStatus, sampleStatusOptions } from './sample-status';
import type { SampleStatus } from './sample-types';

function RegisterSampleForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const types = useItemTypes();
  const physical = typesOfClass(types.data, 'physical');
  const create = useCreateSample();
  const [collectionDate, setCollectionDate] = useState('');
  const [status, setStatus] = useState<SampleStatus>('registered');
  const [location, setLocation] = useState<Location>({ container: null, slot: null });
  return (
    <ItemForm
      key={physical.length}
      types={physical}
      initialType={physical.some((type) => type.name === 'tube') ? 'tube' : undefined}
      submitLabel="Register sample"
      pending={create.isPending}
      error={create.error}
      onSubmit={(result) => {
        // A sample's item is not linked to a catalogue item when it is registered.
        const { virtualId: _virtualId, ...item } = creationOf(result);
        create.mutate(
          {
            ...item,
            projectId,
            status,
            ...(collectionDate && { collectionDate }),
            ...(location.container && { parentId: location.container.id, slot: location.slot }),
          },
          { onSuccess: onDone },
        );
      }}
      onCancel={onDone}
      withVirtual={false}
    >
      <Group grow align="flex-start">
        <TextInput
          label="Collection date"
          type="date"
          value={collectionDate}
          onChange={(event) => setCollectionDate(event.currentTarget.value)}
          error={fieldErrorOf(create.error, 'collectionDate')}
        />
        <Select
          label="Status"
          data={sampleStatusOptions}
          allowDeselect={false}
          value={status}
          onChange={(value) => isSampleStatus(value) && setStatus(value)}
          error={fieldErrorOf(create.error, 'status')}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <Divider label="Location (optional)" labelPosition="left" mt="xs" />
      <LocationPicker
        label="Container"
        value={location}
        onChange={setLocation}
        containerError={fieldErrorOf(create.error, 'parentId')}
        slotError={fieldErrorOf(create.error, 'slot')}
      />
    </ItemForm>
  );
}

export function RegisterSampleButton({ projectId }: { projectId: string }) {
  const [opened, { open, close }] = useDisclosure();
  return (
    <>
      <Button onClick={open}>Register sample</Button>
      <Modal opened={opened} onClose={close} title="Register sample" size="xl">
        {opened && <RegisterSampleForm projectId={projectId} onDone={close} />}
      </Modal>
    </>
  );
}
