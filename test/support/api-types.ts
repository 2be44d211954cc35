/** What the API answers, as the tests read it: a problem document and a page of a list. */
import type { Static } from 'typebox';
import type { ProblemSchema } from '../../src/http/common.schema.js';

/** An `application/problem+json` answer: every error the server sends. */
export type Problem = Static<typeof ProblemSchema>;

/** One page of a list (`?limit=&cursor=`): `nextCursor` is null on the last page. */
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}
