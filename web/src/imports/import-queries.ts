/**
 * CSV imports through the API: a dry run checks every row and writes nothing; a real import writes all rows
 * or nothing (422 with the bad rows). Both answers become one report for the page.
 */
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { api } from '../api/client';
import { useInventoryRefresh } from '../inventory/inventory-queries';
import type { Ok } from '../api/types';

export type ImportKind = 'items' | 'samples';
export type ImportReport = Ok<'/api/imports/items', 'post'>;
export type ImportProblem = ImportReport['errors'][number];
export type ImportWarning = ImportReport['warnings'][number];

/** The report of a refused import: the problem document's row errors, in the dry run's shape. */
function rejectedReport(errors: readonly ImportProblem[], rows: number): ImportReport {
  return {
    dryRun: false,
    rows,
    valid: false,
    created: 0,
    invalidRows: new Set(errors.map((error) => error.row)).size,
    errors: [...errors],
    moreErrors: 0,
    warnings: [],
  };
}

async function runImport(kind: ImportKind, csv: string, dryRun: boolean): Promise<ImportReport> {
  const options = {
    params: { query: { dryRun } },
    body: csv,
    // The body is the CSV text itself, not JSON.
    bodySerializer: (body: string) => body,
    headers: { 'Content-Type': 'text/csv' },
  };
  const result =
    kind === 'items'
      ? await api.POST('/api/imports/items', options)
      : await api.POST('/api/imports/samples', options);
  if (result.response.ok && result.data) return result.data;
  const problem = result.error;
  if (
    result.response.status === 422 &&
    problem &&
    'errors' in problem &&
    problem.errors?.some((e) => 'row' in e)
  ) {
    return rejectedReport(problem.errors as ImportProblem[], 0);
  }
  throw new ApiError(result.response.status, problem);
}

export function useImport() {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: ({ kind, csv, dryRun }: { kind: ImportKind; csv: string; dryRun: boolean }) =>
      runImport(kind, csv, dryRun),
    onSuccess: async (report) => {
      if (!report.dryRun && report.created > 0) await refresh();
    },
  });
}
