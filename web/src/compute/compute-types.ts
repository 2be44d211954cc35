/** The compute module's API shapes, from the generated paths. */
import type { BodyOf, Ok } from '../api/types';

export type HpcResource = Ok<'/api/hpc-resources/{id}', 'get'>;
export type HpcResourceStatus = HpcResource['status'];
export type HpcResourceType = HpcResource['type'];
export type CreateHpcResource = BodyOf<'/api/hpc-resources', 'post'>;
