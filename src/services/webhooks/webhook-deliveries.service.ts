import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { backoffMs, retryAfterMs, verdictFor } from '../../domain/webhook-retry';
import { WebhookDeliveryAttemptEntity } from '../../entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity, type WebhookDeliveryStatus } from '../../entities/webhook-delivery.entity';
import { pageById, type Page, type PageArgs } from '../common';

/** What the worker needs to send one claimed delivery. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  url: string;
  secret: string;
  body: string;
  token: string;
  /** Attempts made before this claim, and when the delivery's retry window opened. */
  attempts: number;
  createdAt: Date;
}

/** What one HTTP attempt came to (see webhook-sender.ts). */
export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  retryAfter: string | null;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Give up once the next attempt would fall this long after the event was recorded. */
  windowMs: number;
  /** How long a claim lasts: longer than one attempt (timeout included), so only a dead worker's lapse. */
  leaseMs: number;
}

export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['PENDING', 'DELIVERED', 'DEAD'];

/**
 * The delivery queue: claims (short transactions, SKIP LOCKED, leases recorded on the rows so no lock is
 * held during the HTTP call), outcomes with retries and dead letters, and the deliveries view.
 */
export class WebhookDeliveryService {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  get leaseMs(): number {
    return this.policy.leaseMs;
  }

  /**
   * Claims due deliveries of every environment, at most `perEndpoint` per endpoint and none of `busy`
   * endpoints (their slots are full), skipping any whose endpoint has an earlier event of the same object
   * still pending: one object's events go out one after the other, in the order they were recorded.
   */
  async claim(
    ctx: RequestContext,
    limit: number,
    perEndpoint: number,
    busy: string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const now = ctx.now();
    // Candidates first, without locks: the window function caps each endpoint's share of the batch, so one
    // endpoint's backlog never crowds out the others.
    const candidates = (await ctx.manager.query(
      `SELECT id FROM (
         SELECT d.id, d.next_attempt_at, d.event_seq,
                ROW_NUMBER() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.event_seq) AS rn
           FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.status = 'ENABLED'
          WHERE d.status = 'PENDING' AND d.next_attempt_at <= ?
            AND (d.claimed_until IS NULL OR d.claimed_until < ?)
            ${busy.length ? `AND d.endpoint_id NOT IN (${busy.map(() => '?').join(',')})` : ''}
            AND NOT EXISTS (
              SELECT 1 FROM webhook_deliveries p
               WHERE p.endpoint_id = d.endpoint_id AND p.object_id = d.object_id
                 AND p.status = 'PENDING' AND p.event_seq < d.event_seq)
       ) c WHERE c.rn <= ? ORDER BY c.next_attempt_at, c.event_seq LIMIT ${Number(limit)}`,
      [now, now, ...busy, perEndpoint],
    )) as Array<{ id: string }>;
    if (!candidates.length) return [];
    const token = randomUUID();
    return withTransaction(ctx, async (tx) => {
      const ids = candidates.map((c) => c.id);
      const locked = (await tx.manager.query(
        `SELECT d.id, d.endpoint_id AS endpointId, d.event_id AS eventId, d.attempts, d.created_at AS createdAt
           FROM webhook_deliveries d
          WHERE d.id IN (${ids.map(() => '?').join(',')}) AND d.status = 'PENDING'
            AND (d.claimed_until IS NULL OR d.claimed_until < ?)
          FOR UPDATE SKIP LOCKED`,
        [...ids, now],
      )) as Array<{ id: string; endpointId: string; eventId: string; attempts: number; createdAt: Date }>;
      if (!locked.length) return [];
      await tx.manager.query(
        `UPDATE webhook_deliveries SET claim_token = ?, claimed_until = ?
          WHERE id IN (${locked.map(() => '?').join(',')})`,
        [token, new Date(now.getTime() + this.policy.leaseMs), ...locked.map((d) => d.id)],
      );
      const details = (await tx.manager.query(
        `SELECT d.id, e.url, e.secret, ev.body
           FROM webhook_deliveries d
           JOIN webhook_endpoints e ON e.id = d.endpoint_id
           JOIN webhook_events ev ON ev.id = d.event_id
          WHERE d.id IN (${locked.map(() => '?').join(',')})`,
        locked.map((d) => d.id),
      )) as Array<{ id: string; url: string; secret: string; body: string | object }>;
      const byId = new Map(details.map((d) => [d.id, d]));
      return locked
        .filter((d) => byId.has(d.id))
        .map((d) => {
          const detail = byId.get(d.id)!;
          return {
            id: d.id,
            endpointId: d.endpointId,
            eventId: d.eventId,
            url: detail.url,
            secret: detail.secret,
            body: typeof detail.body === 'string' ? detail.body : JSON.stringify(detail.body),
            token,
            attempts: Number(d.attempts),
            createdAt: new Date(d.createdAt),
          };
        });
    });
  }

  /**
   * Records attempts and what follows from each: delivered, retried later (backoff with jitter, or the
   * receiver's Retry-After), or dead-lettered (refused, or out of retry window). Two statements for the
   * whole batch, in one transaction (one commit for many deliveries). Each update is guarded by the claim
   * token, so a delivery re-queued meanwhile (resend) is not overwritten; its attempt is still listed.
   */
  async recordAttempts(
    ctx: RequestContext,
    attempts: ReadonlyArray<{ delivery: ClaimedDelivery; result: AttemptResult }>,
  ): Promise<Array<{ status: WebhookDeliveryStatus; nextAttemptAt: Date }>> {
    if (!attempts.length) return [];
    const now = ctx.now();
    const outcomes = attempts.map(({ delivery, result }) =>
      this.nextStep(now, delivery.attempts + 1, delivery.createdAt, result),
    );
    await withTransaction(ctx, async (tx) => {
      await tx.repo(WebhookDeliveryAttemptEntity).insert(
        attempts.map(({ delivery, result }) => ({
          id: newId('wha', now.getTime()),
          deliveryId: delivery.id,
          attemptedAt: now,
          statusCode: result.statusCode,
          latencyMs: Math.round(result.latencyMs),
          outcome: verdictFor(result.statusCode),
          error: result.error?.slice(0, 500) ?? null,
          responseExcerpt: result.responseExcerpt,
        })),
      );
      const values = attempts.map(({ delivery, result }, i) => {
        const outcome = outcomes[i];
        const lastError =
          result.error ?? (outcome.status === 'DELIVERED' ? null : `HTTP ${result.statusCode}`);
        return [
          delivery.id,
          delivery.token,
          outcome.status,
          delivery.attempts + 1,
          outcome.nextAttemptAt,
          result.statusCode,
          lastError?.slice(0, 1000) ?? null,
          outcome.status === 'DELIVERED' ? now : null,
        ];
      });
      const row =
        'SELECT ? AS id, ? AS token, ? AS status, ? AS attempts, ? AS next_at, ? AS code, ? AS err, ? AS done_at';
      await tx.manager.query(
        `UPDATE webhook_deliveries d JOIN (${values.map(() => row).join(' UNION ALL ')}) v
            ON v.id = d.id AND d.claim_token = v.token
            SET d.status = v.status, d.attempts = v.attempts, d.next_attempt_at = v.next_at,
                d.last_status_code = v.code, d.last_error = v.err, d.delivered_at = v.done_at,
                d.claim_token = NULL, d.claimed_until = NULL, d.updated_at = ?`,
        [...values.flat(), now],
      );
    });
    attempts.forEach(({ delivery }, i) => {
      if (outcomes[i].status === 'DEAD')
        ctx.log.warn(
          { deliveryId: delivery.id, attempts: delivery.attempts + 1 },
          'webhook delivery dead-lettered',
        );
    });
    return outcomes;
  }

  /** Where a delivery goes after its `attempts`-th attempt answered `result`. */
  private nextStep(
    now: Date,
    attempts: number,
    createdAt: Date,
    result: AttemptResult,
  ): { status: WebhookDeliveryStatus; nextAttemptAt: Date } {
    const verdict = verdictFor(result.statusCode);
    if (verdict === 'DELIVERED') return { status: 'DELIVERED', nextAttemptAt: now };
    if (verdict === 'FAILED') return { status: 'DEAD', nextAttemptAt: now };
    const wait =
      retryAfterMs(result.retryAfter, now.getTime(), this.policy.maxMs) ??
      backoffMs(attempts, this.policy.baseMs, this.policy.maxMs, this.random());
    const nextAttemptAt = new Date(now.getTime() + wait);
    const giveUpAt = createdAt.getTime() + this.policy.windowMs;
    return { status: nextAttemptAt.getTime() > giveUpAt ? 'DEAD' : 'PENDING', nextAttemptAt };
  }

  /** Gives claims back unsent (the worker is stopping, or had no free slot for them). */
  async release(ctx: RequestContext, deliveries: ClaimedDelivery[]): Promise<void> {
    if (!deliveries.length) return;
    await ctx.manager.query(
      `UPDATE webhook_deliveries SET claim_token = NULL, claimed_until = NULL
        WHERE claim_token = ? AND id IN (${deliveries.map(() => '?').join(',')})`,
      [deliveries[0].token, ...deliveries.map((d) => d.id)],
    );
  }

  /** An endpoint's deliveries, newest first, optionally of one status. */
  async list(
    ctx: RequestContext,
    endpointId: string,
    status: WebhookDeliveryStatus | null | undefined,
    args: PageArgs,
  ): Promise<Page<WebhookDeliveryEntity>> {
    if (status && !WEBHOOK_DELIVERY_STATUSES.includes(status))
      throw badInput('status', `must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}`);
    const qb = ctx
      .repo(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .where('d.environment_id = :env AND d.endpoint_id = :endpointId', {
        env: ctx.environmentId,
        endpointId,
      });
    if (status) qb.andWhere('d.status = :status', { status });
    return pageById(qb, args, 'DESC');
  }

  /** Every attempt of these deliveries, oldest first (one query for a page of deliveries). */
  async attemptsOf(
    ctx: RequestContext,
    deliveryIds: readonly string[],
  ): Promise<WebhookDeliveryAttemptEntity[]> {
    if (!deliveryIds.length) return [];
    return ctx
      .repo(WebhookDeliveryAttemptEntity)
      .createQueryBuilder('a')
      .where('a.delivery_id IN (:...ids)', { ids: [...deliveryIds] })
      .orderBy('a.id', 'ASC')
      .getMany();
  }

  async eventTypesOf(ctx: RequestContext, eventIds: readonly string[]): Promise<Map<string, string>> {
    if (!eventIds.length) return new Map();
    const rows = (await ctx.manager.query(
      `SELECT id, type FROM webhook_events WHERE id IN (${eventIds.map(() => '?').join(',')})`,
      [...eventIds],
    )) as Array<{ id: string; type: string }>;
    return new Map(rows.map((r) => [r.id, r.type]));
  }
}
