import {
  SalesforceError,
  isSalesforceId,
  notWonOpportunitiesQuery,
  opportunityByIdQuery,
  withDefaults,
  wonOpportunitiesQuery,
  type SalesforceClient,
  type SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { conflict } from '../../domain/errors';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import { emptyCounts, type DealSink, type ProductMappingRules, type SyncCounts } from './deal-sink';
import type { SalesforceClients } from './salesforce-clients';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';
import type { SalesforceCrmGateway } from './salesforce-crm-gateway';
import type { SalesforceSyncLeases } from './salesforce-sync-leases';

export interface SyncResult extends SyncCounts {
  status: 'COMPLETED' | 'SKIPPED' | 'FAILED';
  reason: string | null;
  pages: number;
  watermark: Date | null;
}

export interface SalesforceSyncOptions {
  /** Re-read this much before the watermark: a transaction that committed late carries an earlier SystemModstamp. */
  overlapMs: number;
  /** Stop this far before now, for the same reason. */
  lagMs: number;
  /** How long a sync may hold the per-connection lease before another may take over (renewed per page). */
  leaseMs: number;
  /** Where the first sync starts when `syncFrom` is not given. */
  defaultBackfillMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SalesforceSyncOptions = {
  overlapMs: 5 * 60_000,
  lagMs: 60_000,
  leaseMs: 10 * 60_000,
  defaultBackfillMs: 30 * 24 * 3600_000,
};

/**
 * Inbound sync: polls won deals into Contract Extraction drafts (voiding drafts of deals no longer won),
 * and re-reads single Opportunities when a Salesforce trigger says they changed.
 */
export class SalesforceDealSync {
  private readonly triggerTasks = new Set<Promise<void>>();

  constructor(
    private readonly connections: SalesforceConnectionQueries,
    private readonly clients: SalesforceClients,
    private readonly gateway: SalesforceCrmGateway,
    private readonly leases: SalesforceSyncLeases,
    private readonly drafts: DealSink,
    private readonly mappings: ProductMappingRules,
    private readonly options: SalesforceSyncOptions,
    private readonly log: Logger,
  ) {}

  /**
   * One poller run: reads won Opportunities modified in [watermark − overlap, now − lag) page by page,
   * commits each page's drafts, then voids drafts of deals no longer won, and only then advances the
   * watermark. Single-flight per connection through a lease on the connection row.
   */
  async sync(ctx: RequestContext): Promise<SyncResult> {
    const connection = await this.connections.getOrThrow(ctx);
    const now = ctx.now();
    const result: SyncResult = {
      status: 'SKIPPED',
      reason: null,
      pages: 0,
      watermark: connection.watermark,
      ...emptyCounts(),
    };
    if (connection.status === 'DISCONNECTED' || connection.status === 'AUTH_BROKEN') {
      return {
        ...result,
        reason: `Connection is ${connection.status}${connection.statusReason ? `: ${connection.statusReason}` : ''}`,
      };
    }
    if (connection.status === 'PAUSED' && connection.pausedUntil && connection.pausedUntil > now) {
      return { ...result, reason: `Connection is paused until ${connection.pausedUntil.toISOString()}` };
    }
    const lease = await this.leases.acquire(ctx, connection.id);
    if (!lease) {
      return { ...result, reason: 'A sync of this connection is already running' };
    }
    const from = new Date((connection.watermark?.getTime() ?? 0) - this.options.overlapMs);
    const to = new Date(Math.floor((now.getTime() - this.options.lagMs) / 1000) * 1000);
    const fields = withDefaults(connection.fieldConfig);
    const client = this.clients.clientFor(ctx, connection);
    try {
      if (to > from) {
        const mappings = await this.mappings.rules(ctx);
        for await (const page of client.queryPages<SalesforceOpportunity>(
          wonOpportunitiesQuery(fields, from, to),
          {
            relations: ['OpportunityLineItems'],
          },
        )) {
          const counts = await withTransaction(ctx, (tx) =>
            this.drafts.applyOpportunities(tx, connection.id, page.records, mappings, fields),
          );
          addCounts(result, counts);
          result.pages++;
          await this.leases.renew(ctx, connection.id, lease);
        }
        for await (const page of client.queryPages<{ Id: string; SystemModstamp: string }>(
          notWonOpportunitiesQuery(from, to),
          { includeDeleted: true },
        )) {
          result.voided += await withTransaction(ctx, (tx) =>
            this.drafts.voidOpportunities(tx, connection.id, page.records),
          );
          await this.leases.renew(ctx, connection.id, lease);
        }
      }
      // Every page is committed: only now may the watermark move.
      const watermark = to > from ? to : connection.watermark;
      await ctx.repo(SalesforceConnectionEntity).update(
        { id: connection.id, syncLeaseOwner: lease },
        {
          watermark,
          lastPollAt: now,
          lastPollError: null,
          ...(connection.status === 'PAUSED'
            ? { status: 'ACTIVE', pausedUntil: null, statusReason: null }
            : {}),
          ...usageColumns(client),
          syncLeaseOwner: null,
          syncLeaseUntil: null,
          updatedAt: ctx.now(),
        },
      );
      return { ...result, status: 'COMPLETED', watermark };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(
        { connectionId: connection.id, err: error },
        'Salesforce sync failed; watermark unchanged',
      );
      await ctx.repo(SalesforceConnectionEntity).update(
        { id: connection.id, syncLeaseOwner: lease },
        {
          lastPollAt: now,
          lastPollError: message.slice(0, 2000),
          ...usageColumns(client),
          syncLeaseOwner: null,
          syncLeaseUntil: null,
        },
      );
      if (error instanceof SalesforceError) await this.gateway.reportConnectionFailure(ctx, error);
      return { ...result, status: 'FAILED', reason: message };
    }
  }

  /** Re-reads one Opportunity (never trusting what a callback said about it) and upserts or voids its draft. */
  async syncOpportunity(ctx: RequestContext, opportunityId: string): Promise<SyncCounts> {
    const connection = await this.connections.getOrThrow(ctx);
    if (connection.status !== 'ACTIVE') throw conflict(`Salesforce connection is ${connection.status}`);
    const fields = withDefaults(connection.fieldConfig);
    const client = this.clients.clientFor(ctx, connection);
    try {
      const page = await client.queryFirstPage<SalesforceOpportunity & { IsDeleted?: boolean }>(
        opportunityByIdQuery(fields, opportunityId),
        { includeDeleted: true },
      );
      const counts = emptyCounts();
      const record = page.records[0];
      if (!record) return counts;
      if (record.IsWon && !record.IsDeleted) {
        const mappings = await this.mappings.rules(ctx);
        const applied = await withTransaction(ctx, (tx) =>
          this.drafts.applyOpportunities(tx, connection.id, [record], mappings, fields),
        );
        addCounts(counts, applied);
      } else {
        counts.voided = await withTransaction(ctx, (tx) =>
          this.drafts.voidOpportunities(tx, connection.id, [record]),
        );
      }
      return counts;
    } catch (error) {
      if (error instanceof SalesforceError) await this.gateway.reportConnectionFailure(ctx, error);
      throw error;
    } finally {
      await this.gateway.recordApiUsage(ctx);
    }
  }

  /** Runs trigger re-reads after the HTTP answer went out; failures are logged (the poller is the safety net). */
  scheduleOpportunitySyncs(ctx: RequestContext, opportunityIds: string[]): void {
    const ids = [...new Set(opportunityIds)].filter(isSalesforceId);
    const task = (async () => {
      for (const id of ids) {
        try {
          await this.syncOpportunity(ctx, id);
        } catch (error) {
          ctx.log.warn(
            { err: error, opportunityId: id },
            'Salesforce trigger re-read failed; the poller will catch up',
          );
        }
      }
    })();
    this.triggerTasks.add(task);
    void task.finally(() => this.triggerTasks.delete(task));
  }

  /** Waits for trigger re-reads in flight (tests, graceful shutdown). */
  async awaitTriggers(): Promise<void> {
    while (this.triggerTasks.size) await Promise.all([...this.triggerTasks]);
  }
}

function usageColumns(client: SalesforceClient) {
  const usage = client.apiUsage;
  return usage ? { apiUsageUsed: usage.used, apiUsageMax: usage.max } : {};
}

function addCounts(into: SyncCounts, counts: SyncCounts): void {
  into.created += counts.created;
  into.updated += counts.updated;
  into.unchanged += counts.unchanged;
  into.reviewItems += counts.reviewItems;
  into.voided += counts.voided;
}
