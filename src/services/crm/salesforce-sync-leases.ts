import type { RequestContext } from '../../context';
import { newId } from '../../domain/ids';

/**
 * Single-flight syncs per connection: a lease recorded on the connection row, taken only when free or
 * expired and renewed while the sync makes progress. The sync releases it with its final update.
 */
export class SalesforceSyncLeases {
  /** `leaseMs`: how long a sync may hold the lease before another may take over. */
  constructor(private readonly options: { leaseMs: number }) {}

  /** The lease id, or null when another sync holds the connection. */
  async acquire(ctx: RequestContext, connectionId: string): Promise<string | null> {
    const now = ctx.now();
    const lease = newId('lease', now.getTime());
    const result = await ctx.manager.query(
      `UPDATE salesforce_connections SET sync_lease_owner = ?, sync_lease_until = ?
       WHERE id = ? AND (sync_lease_until IS NULL OR sync_lease_until < ?)`,
      [lease, new Date(now.getTime() + this.options.leaseMs), connectionId, now],
    );
    return (result as { affectedRows: number }).affectedRows === 1 ? lease : null;
  }

  async renew(ctx: RequestContext, connectionId: string, lease: string): Promise<void> {
    await ctx.manager.query(
      'UPDATE salesforce_connections SET sync_lease_until = ? WHERE id = ? AND sync_lease_owner = ?',
      [new Date(ctx.now().getTime() + this.options.leaseMs), connectionId, lease],
    );
  }
}
