/** The instruments module's API shapes (instruments and their sessions), from the generated paths. */
import type { Ok, QueryOf } from '../api/types';

export type Instrument = Ok<'/api/instruments/{pid}', 'get'>;
export type InstrumentSession = Ok<'/api/sessions', 'get'>['items'][number];
export type SessionStatus = InstrumentSession['status'];
export type SessionQuery = QueryOf<'/api/sessions'>;
