/** The records page group: the list at /records, one record at /records/:id. */
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../layout/page-states';
import { RecordPage } from './record-page';
import { RecordsPage } from './records-page';

export function RecordsSection() {
  return (
    <Routes>
      <Route index element={<RecordsPage />} />
      <Route path=":id" element={<RecordPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
