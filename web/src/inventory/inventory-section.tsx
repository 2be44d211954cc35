/** The inventory page group: the browser at /inventory, one item at /inventory/items/:id, CSV import. */
import { Route, Routes } from 'react-router-dom';
import { ImportPage } from '../imports/import-page';
import { NotFoundPage } from '../layout/page-states';
import { InventoryPage } from './inventory-page';
import { ItemPage } from './item-page';

export function InventorySection() {
  return (
    <Routes>
      <Route index element={<InventoryPage />} />
      <Route path="items/:id" element={<ItemPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
