/** Test factories of samples: made through the API, each creating the project and the type it lacks. */
import type { CreateSample, Sample } from '../../src/modules/samples/samples.schema.js';
import { buildProject, uniqueName } from './factories.js';
import { buildType, callApi } from './inventory-factories.js';
import type { TestApp, TestUser } from './test-app.js';

export interface SampleOverrides extends Partial<CreateSample> {
  /** Who registers the sample: a member who may write to its project (a new user when missing). */
  by?: TestUser;
}

/**
 * A sample. Without a `projectId` it goes into a new project that `by` (or a new user) manages; without a
 * `type`, a new physical type is made for it.
 */
export async function buildSample(t: TestApp, overrides: SampleOverrides = {}): Promise<Sample> {
  const { by, ...input } = overrides;
  const registrar = by ?? (await t.userWithToken());
  const projectId = input.projectId ?? (await buildProject(t.database.db, registrar.user)).id;
  const type = input.type ?? (await buildType(t, { name: uniqueName('sample type ') })).name;
  const response = await callApi<Sample>(t, registrar, 'POST', '/api/samples', {
    name: uniqueName('Sample '),
    ...input,
    projectId,
    type,
  });
  if (response.status !== 201) throw new Error(`creating a sample failed: ${JSON.stringify(response.body)}`);
  return response.body;
}
