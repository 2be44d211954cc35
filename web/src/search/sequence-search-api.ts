/** POST /api/sequence-search: its request and answer (from the generated paths), and the call. */
import { api, unwrap } from '../api/client';
import type { BodyOf, Ok } from '../api/types';

export type SequenceSearchRequest = BodyOf<'/api/sequence-search', 'post'>;
export type SequenceSearchAnswer = Ok<'/api/sequence-search', 'post'>;
export type SequenceHit = SequenceSearchAnswer['hits'][number];
export type BlastProgram = SequenceSearchRequest['program'];

/** Runs a BLAST search of the inventory's sequences; a failure throws an ApiError with the problem document. */
export function searchSequences(request: SequenceSearchRequest): Promise<SequenceSearchAnswer> {
  return unwrap(api.POST('/api/sequence-search', { body: request }));
}
