/** Names for the sample shapes of the API, taken from the generated `paths` (schema.d.ts). */
import type { BodyOf, Ok, QueryOf } from '../api/types';

export type Sample = Ok<'/api/samples', 'post'>;
export type SampleDetail = Ok<'/api/samples/{id}', 'get'>;
export type SampleStatus = Sample['status'];
export type SampleQuery = QueryOf<'/api/projects/{id}/samples'>;
export type CreateSample = BodyOf<'/api/samples', 'post'>;
export type UpdateSample = BodyOf<'/api/samples/{id}', 'patch'>;
