/**
 * Who serves a resource as its agent: machine accounts (accounts' `is_agent` users) listed for the resource.
 * An admin issues a token for a resource's agent; the first one makes the resource's agent account. The token
 * reaches the agent routes of that resource only.
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import { Forbidden, UsernameTaken } from '../../errors/catalogue.js';
import { createAgentAccount, createAgentToken, describeUsers } from '../accounts/accounts.service.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './analyses.repository.js';
import { getResource, type HeartbeatPolicy } from './hpc-resources.service.js';

/** A username for a resource's agent account: `agent-<resource name as letters, digits and dashes>`. */
function agentUsername(resourceName: string, attempt: number): string {
  const slug = resourceName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `agent-${slug || 'resource'}${attempt === 0 ? '' : `-${attempt + 1}`}`;
}

/**
 * Issues an API token for the resource's agent (admins), making its agent account first if it has none. The
 * secret is returned once: it goes to `cairn agent --token` beside the cluster.
 */
export async function issueAgentToken(
  trx: Db,
  actor: Actor,
  resourceId: string,
  input: { name: string; expiresAt?: string | undefined },
  policy: HeartbeatPolicy,
): Promise<{ id: string; name: string; token: string; agentUsername: string }> {
  if (!isAdmin(actor)) throw new Forbidden("Only admins issue tokens for a resource's agent");
  const resource = await getResource(trx, resourceId, policy);
  let [agentId] = await repo.listAgentsOfResource(trx, resource.id);
  let username: string;
  if (agentId === undefined) {
    const account = await createAgentAccountFor(trx, actor, resource.name);
    await repo.insertResourceAgent(trx, {
      resource_id: resource.id,
      user_id: account.id,
      created_at: nowIso(),
      created_by: actor.id,
    });
    await recordChange(trx, actor, {
      action: 'create',
      entityType: 'hpc_resource_agent',
      entityId: resource.id,
      after: { resourceId: resource.id, userId: account.id, username: account.username },
    });
    agentId = account.id;
    username = account.username;
  } else {
    username = (await describeUsers(trx, [agentId])).get(agentId)?.username ?? agentId;
  }
  const token = await createAgentToken(trx, actor, agentId, input);
  return { ...token, agentUsername: username };
}

async function createAgentAccountFor(trx: Db, actor: Actor, resourceName: string) {
  for (let attempt = 0; ; attempt++) {
    const username = agentUsername(resourceName, attempt);
    try {
      return await createAgentAccount(trx, actor, {
        username,
        displayName: `Agent of the HPC resource ${resourceName}`,
      });
    } catch (error) {
      if (attempt >= 20 || !(error instanceof UsernameTaken)) throw error;
    }
  }
}
