/** The samples page group: one sample at /samples/:id (a project's samples are a tab of its page). */
import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../layout/page-states';
import { SamplePage } from './sample-page';

export function SamplesSection() {
  return (
    <Routes>
      <Route index element={<Navigate to="/projects" replace />} />
      <Route path=":id" element={<SamplePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
