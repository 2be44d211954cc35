/** The records module's API shapes, from the generated paths. */
import type { Ok, QueryOf } from '../api/types';

export type ExperimentRecord = Ok<'/api/records/{id}', 'get'>;
export type RecordSummary = Ok<'/api/records', 'get'>['items'][number];
export type RecordDocument = ExperimentRecord['document'];
export type RecordActivity = RecordDocument['activities'][number];
export type RecordDataset = RecordActivity['datasets'][number];
export type RecordParameter = RecordActivity['setup'][number];
export type RecordQuery = QueryOf<'/api/records'>;
/** The list's filters: the query without its paging. */
export type RecordFilter = Omit<RecordQuery, 'cursor' | 'limit'>;
