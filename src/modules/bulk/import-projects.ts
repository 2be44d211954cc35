/**
 * An import's projects (samples only): each project a row names, by id or by name, resolved once and checked
 * for the importer's write access.
 */
import { DomainError } from '../../errors/catalogue.js';
import { listProjects, requireProjectAccess } from '../projects/projects.service.js';
import type { ImportContext, RawRow } from './import-context.js';
import { spaced } from './import-references.js';

/** Gives each sample row its project, or reports why the project it names cannot take samples. */
export async function resolveProjects(context: ImportContext, raws: readonly RawRow[]): Promise<void> {
  if (context.kind !== 'samples') return;
  const resolved = new Map<string, { id: string } | { problem: string }>();
  for (const text of new Set(raws.map((raw) => raw.projectText).filter((text) => text !== ''))) {
    resolved.set(text, await resolveProject(context, text));
  }
  for (const raw of raws) {
    const result = resolved.get(raw.projectText);
    if (result === undefined) continue;
    if ('id' in result) raw.plan.projectId = result.id;
    else context.problem(raw.plan.row, 'project', result.problem, context.column('project'));
  }
}

async function resolveProject(
  context: ImportContext,
  text: string,
): Promise<{ id: string } | { problem: string }> {
  const { db, actor } = context;
  const access = async (id: string, label: string) => {
    try {
      await requireProjectAccess(db, actor, id, 'write');
      return { id };
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 403) throw error;
      return { problem: `you may not add samples to project ${label}: ${error.message}` };
    }
  };
  try {
    await requireProjectAccess(db, actor, text, 'read');
    return await access(text, text);
  } catch (error) {
    if (!(error instanceof DomainError) || error.status !== 404) throw error;
  }
  const page = await listProjects(db, actor, { q: text.replace(/\s+/g, ' '), limit: 50 });
  const matches = page.items.filter((project) => spaced(project.name) === spaced(text));
  const [only] = matches;
  if (only === undefined || matches.length > 1) {
    return matches.length > 1
      ? { problem: `project "${text}" could be any of ${matches.map((p) => p.id).join(', ')}; give its id` }
      : { problem: `project "${text}" not found` };
  }
  return access(only.id, `"${only.name}"`);
}
