/**
 * POST /api/sequence-search: its request and answer, and the call. Replace with generated types when
 * /api/sequence-search lands — until then the route is not in the OpenAPI document, so these few types are
 * declared here to the fixed contract, and the typed client is told about this one path.
 */
import type { Client } from 'openapi-fetch';
import { api, unwrap } from '../api/client';

export type BlastProgram = 'blastn' | 'blastp' | 'blastx' | 'tblastn';

export interface SequenceSearchRequest {
  /** One query, raw or FASTA. */
  sequence: string;
  program: BlastProgram;
  evalue?: number;
  maxHits?: number;
}

export interface SequenceHit {
  itemId: string;
  humanId: string | null;
  name: string;
  percentIdentity: number;
  alignmentLength: number;
  mismatches: number;
  gaps: number;
  queryStart: number;
  queryEnd: number;
  subjectStart: number;
  subjectEnd: number;
  evalue: number;
  bitScore: number;
  alignment: { query: string; midline: string; subject: string };
}

export interface SequenceSearchAnswer {
  queryLength: number;
  hits: SequenceHit[];
}

interface SequenceSearchPaths {
  '/api/sequence-search': {
    post: {
      requestBody: { content: { 'application/json': SequenceSearchRequest } };
      responses: {
        200: { content: { 'application/json': SequenceSearchAnswer } };
        default: { content: { 'application/problem+json': unknown } };
      };
    };
  };
}

/** The same client (session cookie, CSRF token, 401 handling), told about the one path it does not know yet. */
const sequenceApi = api as unknown as Client<SequenceSearchPaths>;

/** Runs a BLAST search of the inventory's sequences; a failure throws an ApiError with the problem document. */
export function searchSequences(request: SequenceSearchRequest): Promise<SequenceSearchAnswer> {
  return unwrap(sequenceApi.POST('/api/sequence-search', { body: request }));
}
