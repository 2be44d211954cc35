/**
 * Where a found thing lives in the app: each kind maps to the page that already shows it. Sessions have no
 * page of their own (an instrument's page lists them, but a search hit does not say which instrument's pid),
 * so they have none here.
 */
import type { SearchKind } from './search-types';

export const kindLabels: Record<SearchKind, string> = {
  item: 'Item',
  sample: 'Sample',
  project: 'Project',
  analysis: 'Analysis',
  instrument: 'Instrument',
  session: 'Session',
  record: 'Record',
};

/** The app's address of a found thing, or null when it has no page. */
export function pageOf(kind: SearchKind, id: string): string | null {
  const segment = encodeURIComponent(id);
  switch (kind) {
    case 'item':
      return `/inventory/items/${segment}`;
    case 'sample':
      return `/samples/${segment}`;
    case 'project':
      return `/projects/${segment}`;
    case 'analysis':
      return `/analyses/${segment}`;
    case 'instrument':
      return `/instruments/${segment}`;
    case 'record':
      return `/records/${segment}`;
    case 'session':
      return null;
  }
}

/** The results page of a query (and its kind and type filters, and hidden items, when asked for). */
export function resultsPageOf(filter: {
  q: string;
  kind?: SearchKind;
  type?: string;
  hidden?: boolean;
}): string {
  const params = new URLSearchParams({ q: filter.q });
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.type) params.set('type', filter.type);
  if (filter.hidden) params.set('hidden', 'true');
  return `/search?${params.toString()}`;
}
