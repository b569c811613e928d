import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../context';
import type { Principal } from './authenticator';

/**
 * Published after commit, to every instance through the pub/sub, when a customer's portal tokens are
 * revoked or rotated: each instance closes the WebSockets opened with a token of an earlier generation.
 */
export const PORTAL_TOKENS_REVOKED_TOPIC = 'credentials:portal-tokens-revoked';

export interface PortalTokensRevoked {
  environmentId: string;
  customerId: string;
  /** The customer's generation now: tokens issued under a lower one are revoked. */
  generation: number;
}

/** The customer's current token generation (0 while its tokens were never revoked). */
export async function currentGeneration(
  manager: EntityManager,
  environmentId: string,
  customerId: string,
): Promise<number> {
  const [row] = (await manager.query(
    'SELECT generation FROM portal_token_revocations WHERE environment_id = ? AND customer_id = ?',
    [environmentId, customerId],
  )) as Array<{ generation: number }>;
  return row ? Number(row.generation) : 0;
}

/**
 * Moves the customer to a new generation (revoking every token issued so far) and returns it. Run inside
 * the caller's transaction: the row lock orders concurrent revocations.
 */
export async function bumpGeneration(tx: RequestContext, customerId: string): Promise<number> {
  await tx.manager.query(
    `INSERT INTO portal_token_revocations (environment_id, customer_id, generation, revoked_at) VALUES (?, ?, 1, ?)
     ON DUPLICATE KEY UPDATE generation = generation + 1, revoked_at = VALUES(revoked_at)`,
    [tx.environmentId, customerId, tx.now()],
  );
  return currentGeneration(tx.manager, tx.environmentId, customerId);
}

/** True when `message` (a PORTAL_TOKENS_REVOKED_TOPIC payload) revokes the token `principal` came from. */
export function isRevokedBy(principal: Principal, message: unknown): boolean {
  const revoked = message as Partial<PortalTokensRevoked> | null;
  return (
    principal.caller.kind === 'PORTAL' &&
    principal.environmentId === revoked?.environmentId &&
    principal.caller.customerId === revoked.customerId &&
    typeof revoked.generation === 'number' &&
    (principal.portalTokenGeneration ?? 0) < revoked.generation
  );
}
