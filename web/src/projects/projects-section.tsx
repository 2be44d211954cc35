/** The projects page group: the list at /projects and one project at /projects/:id. */
import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../layout/page-states';
import { ProjectPage } from './project-page';
import { ProjectsPage } from './projects-page';

export function ProjectsSection() {
  return (
    <Routes>
      <Route index element={<ProjectsPage />} />
      <Route path=":id" element={<ProjectPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
