import type { RequestContext } from '../../context';
import { badInput, forbidden, notFound } from '../../domain/errors';
import { withTransaction } from '../../db/transaction';
import { UsageEventFailureEntity } from '../../entities/usage-event-failure.entity';
import { pageById, type Page, type PageArgs } from '../common';
import { fromSqlDateTime, placeholders, sqlDateTime } from './usage-sql';

/** Ids one retry request may name. */
export const MAX_RETRY_IDS = 500;

/** A set-aside usage event, with the event's own identity. */
export interface UsageEventFailureRecord {
  id: string;
  eventId: string;
  /** Null when the event itself is gone. */
  customerId: string | null;
  eventName: string | null;
  timestamp: Date | null;
  code: string;
  reason: string;
  attempts: number;
  failedAt: Date;
  retryRequestedAt: Date | null;
  resolvedAt: Date | null;
}

export interface UsageEventFailurePageArgs extends PageArgs {
  /** Also list the ones a retry already rolled up. */
  includeResolved?: boolean | null;
}

/**
 * The operator's view of the events the aggregator set aside: list them (newest first), and re-queue them
 * once their cause is fixed; the aggregator then rolls them up (see UsageAggregationService). Environment
 * API keys only: a customer portal never sees another tenant's raw pipeline state.
 */
export class UsageEventFailureService {
  private readonly retryListeners: Array<() => void> = [];

  /** Called after a retry request commits (the composition root wakes the aggregator with it). */
  onRetryQueued(listener: () => void): void {
    this.retryListeners.push(listener);
  }

  async list(ctx: RequestContext, args: UsageEventFailurePageArgs): Promise<Page<UsageEventFailureRecord>> {
    this.refusePortal(ctx);
    const qb = ctx
      .repo(UsageEventFailureEntity)
      .createQueryBuilder('f')
      .where('f.environmentId = :environmentId', { environmentId: ctx.environmentId });
    if (!args.includeResolved) qb.andWhere('f.resolvedAt IS NULL');
    const page = await pageById(qb, args, 'DESC');
    return { nodes: await this.withEvents(ctx, page.nodes), hasNextPage: page.hasNextPage };
  }

  /**
   * Re-queues set-aside events of the caller's environment; already resolved ones are left as they are.
   * Answers the failures as they stand after the request.
   */
  async retry(ctx: RequestContext, ids: readonly string[]): Promise<UsageEventFailureRecord[]> {
    this.refusePortal(ctx);
    if (!ids.length) throw badInput('ids', 'must name at least one failure');
    if (ids.length > MAX_RETRY_IDS) throw badInput('ids', `must name at most ${MAX_RETRY_IDS} failures`);
    const unique = [...new Set(ids)];
    const rows = await withTransaction(ctx, async (tx) => {
      const found = await tx
        .repo(UsageEventFailureEntity)
        .createQueryBuilder('f')
        .where('f.environmentId = :environmentId AND f.id IN (:...ids)', {
          environmentId: tx.environmentId,
          ids: unique,
        })
        .setLock('pessimistic_write')
        .getMany();
      const known = new Set(found.map((f) => f.id));
      ids.forEach((id, i) => {
        if (!known.has(id)) throw notFound('UsageEventFailure', id, `ids.${i}`);
      });
      const now = tx.now();
      const open = found.filter((f) => !f.resolvedAt);
      if (open.length) {
        await tx.manager.query(
          `UPDATE usage_event_failures SET retry_requested_at = ?
            WHERE id IN (${placeholders(open.length)}) AND resolved_at IS NULL`,
          [sqlDateTime(now), ...open.map((f) => f.id)],
        );
        for (const f of open) f.retryRequestedAt = now;
        tx.afterCommit(() => this.retryListeners.forEach((listener) => listener()));
      }
      return found;
    });
    const byId = new Map((await this.withEvents(ctx, rows)).map((r) => [r.id, r]));
    return unique.map((id) => byId.get(id)!);
  }

  private refusePortal(ctx: RequestContext): void {
    if (ctx.portalCustomerId) throw forbidden('Set-aside usage events need an API key');
  }

  /** Adds each failure's event identity (one query for the page). */
  private async withEvents(
    ctx: RequestContext,
    failures: UsageEventFailureEntity[],
  ): Promise<UsageEventFailureRecord[]> {
    const eventIds = [...new Set(failures.map((f) => String(f.eventId)))];
    const events = eventIds.length
      ? ((await ctx.manager.query(
          `SELECT id, customer_id, event_name, occurred_at FROM usage_events
            WHERE environment_id = ? AND id IN (${placeholders(eventIds.length)})`,
          [ctx.environmentId, ...eventIds],
        )) as Array<{
          id: string | number;
          customer_id: string;
          event_name: string;
          occurred_at: Date | string;
        }>)
      : [];
    const byId = new Map(events.map((e) => [String(e.id), e]));
    return failures.map((f) => {
      const event = byId.get(String(f.eventId));
      return {
        id: f.id,
        eventId: String(f.eventId),
        customerId: event?.customer_id ?? null,
        eventName: event?.event_name ?? null,
        timestamp: event ? fromSqlDateTime(event.occurred_at) : null,
        code: f.code,
        reason: f.reason,
        attempts: f.attempts,
        failedAt: f.failedAt,
        retryRequestedAt: f.retryRequestedAt,
        resolvedAt: f.resolvedAt,
      };
    });
  }
}
