/** The instruments page group: the list at /instruments, one instrument at /instruments/:pid. */
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../layout/page-states';
import { InstrumentPage } from './instrument-page';
import { InstrumentsPage } from './instruments-page';

export function InstrumentsSection() {
  return (
    <Routes>
      <Route index element={<InstrumentsPage />} />
      <Route path=":pid" element={<InstrumentPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
