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
import { closeLostExpansions } from './pushed-expansion-links';

type NotWonOpportunity = {
  Id: string;
  IsWon: boolean;
  IsClosed: boolean;
  IsDeleted: boolean;
  SystemModstamp: string;
};

export type SyncStepName = 'WON_OPPORTUNITIES' | 'NOT_WON_OPPORTUNITIES' | 'DELETED_OPPORTUNITIES';

/** What one step of a sync did, so a partly successful sync says which call failed and what got done. */
export interface SyncStep extends SyncCounts {
  name: SyncStepName;
  /** SKIPPED: an earlier step failed, or the window is empty. */
  status: 'COMPLETED' | 'FAILED' | 'SKIPPED';
  pages: number;
  /** The request Salesforce refused (method, path, query), when the step failed on one. */
  failedRequest: string | null;
  error: string | null;
}

export interface SyncResult extends SyncCounts {
  status: 'COMPLETED' | 'SKIPPED' | 'FAILED';
  reason: string | null;
  pages: number;
  watermark: Date | null;
  steps: SyncStep[];
}

const STEP_NAMES: SyncStepName[] = ['WON_OPPORTUNITIES', 'NOT_WON_OPPORTUNITIES', 'DELETED_OPPORTUNITIES'];

const STEP_LABELS: Record<SyncStepName, string> = {
  WON_OPPORTUNITIES: 'reading won Opportunities',
  NOT_WON_OPPORTUNITIES: 'reading Opportunities no longer won',
  DELETED_OPPORTUNITIES: 'reading deleted Opportunities',
};

/** Salesforce keeps deletions for getDeleted about 30 days and rejects an older start. */
const DELETED_HISTORY_MS = 29 * 24 * 3600_000;

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
      steps: STEP_NAMES.map((name) => ({
        name,
        status: 'SKIPPED',
        pages: 0,
        failedRequest: null,
        error: null,
        ...emptyCounts(),
      })),
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
    const [won, notWon, deleted] = result.steps;
    let current: SyncStep = won;
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
          addCounts(won, counts);
          won.pages++;
          await this.leases.renew(ctx, connection.id, lease);
        }
        won.status = 'COMPLETED';
        current = notWon;
        for await (const page of client.queryPages<NotWonOpportunity>(notWonOpportunitiesQuery(from, to), {
          includeDeleted: true,
        })) {
          notWon.voided += await withTransaction(ctx, async (tx) => {
            await closeLostExpansions(tx, page.records);
            return this.drafts.voidOpportunities(tx, connection.id, page.records);
          });
          notWon.pages++;
          await this.leases.renew(ctx, connection.id, lease);
        }
        notWon.status = 'COMPLETED';
        // Deals deleted and purged from the recycle bin are invisible to queries, even through queryAll.
        current = deleted;
        const start = new Date(Math.max(from.getTime(), to.getTime() - DELETED_HISTORY_MS));
        const purged = await client.getDeleted('Opportunity', start, to);
        deleted.pages++;
        deleted.voided += await withTransaction(ctx, (tx) =>
          this.drafts.voidOpportunities(
            tx,
            connection.id,
            purged.deletedRecords.map((r) => ({ Id: r.id, SystemModstamp: r.deletedDate })),
          ),
        );
        deleted.status = 'COMPLETED';
        sumSteps(result);
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
      // A transport error can echo the request, Authorization header included: never store a token.
      const cause = redactTokens(error instanceof Error ? error.message : String(error));
      current.status = 'FAILED';
      current.error = error instanceof SalesforceError ? `${error.code}: ${cause}` : cause;
      current.failedRequest = error instanceof SalesforceError ? error.request : null;
      sumSteps(result);
      const done = result.steps
        .filter((step) => step.status === 'COMPLETED')
        .map((step) => `${STEP_LABELS[step.name]} done`);
      const message =
        `${STEP_LABELS[current.name]} failed${current.failedRequest ? ` (${current.failedRequest})` : ''}: ` +
        `${current.error}. ${[...done, describeCounts(result)].join('; ')}; watermark unchanged`;
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
        counts.voided = await withTransaction(ctx, async (tx) => {
          await closeLostExpansions(tx, [record]);
          return this.drafts.voidOpportunities(tx, connection.id, [record]);
        });
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

function sumSteps(result: SyncResult): void {
  Object.assign(result, emptyCounts(), { pages: 0 });
  for (const step of result.steps) {
    addCounts(result, step);
    // The top-level figure counts pages of won deals, as before steps were reported.
    if (step.name === 'WON_OPPORTUNITIES') result.pages += step.pages;
  }
}

function describeCounts(result: SyncResult): string {
  return (
    `${result.pages} pages of won deals read, drafts ${result.created} created, ${result.updated} updated, ` +
    `${result.unchanged} unchanged, ${result.reviewItems} review items, ${result.voided} voided`
  );
}

function redactTokens(text: string): string {
  return text.replace(/Bearer\s+[^\s"'\\]+/g, 'Bearer [redacted]');
}
