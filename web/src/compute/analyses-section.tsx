/** The analyses page group: the list at /analyses, one analysis at /analyses/:id. */
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../layout/page-states';
import { AnalysesPage } from './analyses-page';
import { AnalysisPage } from './analysis-page';

export function AnalysesSection() {
  return (
    <Routes>
      <Route index element={<AnalysesPage />} />
      <Route path=":id" element={<AnalysisPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
