import type { RequestContext } from '../../context';
import { notFound } from '../../domain/errors';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import { hashTriggerSecret } from './trigger-secret';

/** Where a trigger secret leads: the connection and the environment the re-reads run in. */
export interface TriggerSecretOwner {
  connectionId: string;
  environmentId: string;
  organizationId: string;
}

/**
 * Reads of the Salesforce connections table. Code outside the CRM folder asks these questions here
 * instead of reading the table itself.
 */
export class SalesforceConnectionQueries {
  async find(ctx: RequestContext): Promise<SalesforceConnectionEntity | null> {
    return ctx.repo(SalesforceConnectionEntity).findOne({ where: { environmentId: ctx.environmentId } });
  }

  async getOrThrow(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    const connection = await this.find(ctx);
    if (!connection) throw notFound('Salesforce connection of environment', ctx.environmentId);
    return connection;
  }

  /** True when the environment has a connection that was not disconnected (paused or broken ones still count). */
  async isConnected(ctx: RequestContext): Promise<boolean> {
    const [row] = (await ctx.manager.query(
      'SELECT status FROM salesforce_connections WHERE environment_id = ? LIMIT 1',
      [ctx.environmentId],
    )) as Array<{ status: string }>;
    return Boolean(row) && row.status !== 'DISCONNECTED';
  }

  /** Finds the connection a trigger secret belongs to (the secret is compared by its hash only). */
  async findByTriggerSecret(ctx: RequestContext, secret: string): Promise<TriggerSecretOwner | null> {
    if (!secret || secret.length > 200) return null;
    const rows: Array<{ id: string; environment_id: string; organization_id: string }> =
      await ctx.manager.query(
        `SELECT c.id, c.environment_id, e.organization_id FROM salesforce_connections c
       JOIN environments e ON e.id = c.environment_id
       WHERE c.trigger_secret_hash = ? AND c.status <> 'DISCONNECTED'`,
        [hashTriggerSecret(secret)],
      );
    const row = rows[0];
    return row
      ? { connectionId: row.id, environmentId: row.environment_id, organizationId: row.organization_id }
      : null;
  }

  /** Environments whose Salesforce connection may take writes now (active, or its pause is over). */
  async writableEnvironments(ctx: RequestContext): Promise<string[]> {
    const rows: Array<{ environment_id: string }> = await ctx.manager.query(
      `SELECT environment_id FROM salesforce_connections
       WHERE status = 'ACTIVE' OR (status = 'PAUSED' AND paused_until <= ?)`,
      [ctx.now()],
    );
    return rows.map((r) => r.environment_id);
  }

  /** Connections whose last poll is older than `intervalMs` and that no sync holds, for the poller worker. */
  async dueForPoll(
    ctx: RequestContext,
    intervalMs: number,
  ): Promise<Array<{ environmentId: string; organizationId: string }>> {
    const now = ctx.now();
    const rows: Array<{ environment_id: string; organization_id: string }> = await ctx.manager.query(
      `SELECT c.environment_id, e.organization_id FROM salesforce_connections c
       JOIN environments e ON e.id = c.environment_id
       WHERE (c.status = 'ACTIVE' OR (c.status = 'PAUSED' AND c.paused_until <= ?))
         AND (c.last_poll_at IS NULL OR c.last_poll_at <= ?)
         AND (c.sync_lease_until IS NULL OR c.sync_lease_until < ?)
       ORDER BY c.last_poll_at`,
      [now, new Date(now.getTime() - intervalMs), now],
    );
    return rows.map((r) => ({ environmentId: r.environment_id, organizationId: r.organization_id }));
  }
}
