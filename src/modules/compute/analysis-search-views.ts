/**
 * Analyses as the search index reads them: what they ran (type, parameters), on which sample, and where they
 * stand. No access check: the index keeps the analysis's project and every search applies it.
 */
import type { Db } from '../../db/database.js';
import { namesOfSamples } from '../samples/samples.service.js';
import * as repo from './analyses.repository.js';

export interface SearchableAnalysis {
  id: string;
  projectId: string;
  sampleId: string;
  sampleName: string | null;
  typeName: string;
  typeVersion: string;
  params: Record<string, unknown>;
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** Analyses by id, or a page in id order (unknown ids are left out). */
export async function readSearchableAnalyses(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<SearchableAnalysis[]> {
  const rows = await repo.findAnalysesForSearch(db, selection);
  const samples = await namesOfSamples(db, [...new Set(rows.map((row) => row.sample_id))]);
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    sampleId: row.sample_id,
    sampleName: samples.get(row.sample_id) ?? null,
    typeName: row.type_name,
    typeVersion: row.type_version,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    createdAt: row.submitted_at,
    updatedAt: row.updated_at,
  }));
}
