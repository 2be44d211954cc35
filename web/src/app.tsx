/** The routes of the UI: /login, and everything else inside the signed-in layout, one page group per section. */
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { LoginPage } from './accounts/login-page';
import { useSession } from './accounts/session';
import { AppLayout } from './layout/app-layout';
import { ErrorAlert } from './layout/error-alert';
import { AdminOnly, ComingSoonPage, NotFoundPage, PageLoader } from './layout/page-states';
import { sections, type Section } from './layout/sections';
import { useLiveEvents } from './layout/use-live-events';
import { SamplesSection } from './samples/samples-section';
import { SearchPage } from './search/search-page';

function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoader />;
  if (session.isError) return <ErrorAlert error={session.error} title="Cannot reach the Cairn server" />;
  if (session.data === null) {
    return <Navigate to="/login" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return children;
}

/** The signed-in frame, with the live events that keep its pages current (one stream for the whole app). */
function SignedInShell() {
  useLiveEvents();
  return <AppLayout />;
}

function SectionPage({ section }: { section: Section }) {
  const Page = section.page;
  if (!Page) return <ComingSoonPage label={section.label} />;
  return section.adminOnly ? (
    <AdminOnly>
      <Page />
    </AdminOnly>
  ) : (
    <Page />
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireSession>
            <SignedInShell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/projects" replace />} />
        {sections.map((section) => (
          <Route key={section.path} path={`${section.path}/*`} element={<SectionPage section={section} />} />
        ))}
        {/* A sample belongs to a project (listed on its page) but has its own address. */}
        <Route path="/samples/*" element={<SamplesSection />} />
        {/* Search results span every section, so they belong to none; the header's box leads here. */}
        <Route path="/search" element={<SearchPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
