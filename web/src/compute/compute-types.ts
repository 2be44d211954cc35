/** The compute module's API shapes, from the generated paths. */
import type { BodyOf, Ok, QueryOf } from '../api/types';

export type HpcResource = Ok<'/api/hpc-resources/{id}', 'get'>;
export type HpcResourceStatus = HpcResource['status'];
export type HpcResourceType = HpcResource['type'];
export type CreateHpcResource = BodyOf<'/api/hpc-resources', 'post'>;

export type AnalysisType = Ok<'/api/analysis-types', 'get'>['items'][number];
export type Analysis = Ok<'/api/analyses/{id}', 'get'>;
export type AnalysisSummary = Ok<'/api/analyses', 'get'>['items'][number];
export type AnalysisStatus = Analysis['status'];
export type Job = NonNullable<Analysis['job']>;
export type JobStatus = Job['status'];
export type AnalysisFile = Analysis['files'][number];
export type AnalysisQuery = QueryOf<'/api/analyses'>;
/** The list's filters: the query without its paging. */
export type AnalysisFilter = Omit<AnalysisQuery, 'cursor' | 'limit'>;
export type CreateAnalysis = BodyOf<'/api/analyses', 'post'>;
export type CreateAnalysesBatch = BodyOf<'/api/analyses/batch', 'post'>;
export type LogStream = NonNullable<QueryOf<'/api/analyses/{id}/log'>['stream']>;
