/** A button that opens the item form in a dialog and creates the item (a top-level location, a catalogue entry). */
import { Button, Modal, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { typesOfClass, useCreateItem, useItemTypes } from './inventory-queries';
import type { Item, ItemClass } from './inventory-types';
import { creationOf, ItemForm } from './item-form';

interface NewItemButtonProps extends ButtonProps {
  label: string;
  title: string;
  itemClass: ItemClass;
  initialType?: string;
  onCreated?: (item: Item) => void;
}

export function NewItemButton({
  label,
  title,
  itemClass,
  initialType,
  onCreated,
  ...button
}: NewItemButtonProps) {
  const [opened, { open, close }] = useDisclosure();
  const types = useItemTypes();
  const create = useCreateItem();
  const choices = typesOfClass(types.data, itemClass);
  const done = () => {
    create.reset();
    close();
  };
  return (
    <>
      <Button onClick={open} {...button}>
        {label}
      </Button>
      <Modal opened={opened} onClose={done} title={title} size="lg">
        <ItemForm
          key={choices.length}
          types={choices}
          initialType={
            initialType && choices.some((type) => type.name === initialType) ? initialType : undefined
          }
          submitLabel="Create"
          pending={create.isPending}
          error={create.error}
          onSubmit={(result) =>
            create.mutate(creationOf(result), {
              onSuccess: (item) => {
                done();
                onCreated?.(item);
              },
            })
          }
          onCancel={done}
        />
      </Modal>
    </>
  );
}
