import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  SOBJECTS,
  backoffDelayMs,
  isCrmSObject,
  isReference,
  pushRows,
  recordKey,
  validateCrmChange,
  type CrmChange,
  type CrmFieldValue,
  type PushOutcome,
  type PushRow,
  type SalesforceClient,
  type SalesforceError,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import type { Logger } from '../../logger';
import { pageById, type Page, type PageArgs } from '../common';
import { linkPushedExpansions } from './pushed-expansion-links';
import { linkUpsertedAccounts } from './upserted-account-links';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';

export type { CrmChange } from '../../../connectors/salesforce';

/**
 * What pushing needs from the Salesforce connection (kept narrow so the outbox does not depend on the
 * connection's other jobs). Calls other than `writableEnvironments` act on `ctx.environmentId`.
 */
export interface CrmConnectionGateway {
  /** Environments whose Salesforce connection may take writes now (active, or pause over). */
  writableEnvironments(ctx: RequestContext): Promise<string[]>;
  clientForEnvironment(ctx: RequestContext): Promise<SalesforceClient | null>;
  /** Pauses or marks the connection broken after a limit or auth failure. */
  reportConnectionFailure(ctx: RequestContext, error: SalesforceError): Promise<void>;
  recordApiUsage(ctx: RequestContext): Promise<void>;
}

export interface PushBatchResult {
  claimed: number;
  done: number;
  retried: number;
  dead: number;
  deferred: number;
}

const CLAIM_LEASE_MS = 5 * 60_000;
/** Transient failures are retried with backoff this many times, then dead-lettered (never dropped). */
export const MAX_TRANSIENT_ATTEMPTS = 12;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 30 * 60_000;
/** A child waiting for its parent looks again soon. */
const DEFER_DELAY_MS = 2_000;

/**
 * The transactional outbox toward Salesforce. `enqueue` runs inside the caller's transaction, so a change
 * and its CRM update commit (or roll back) together; the worker claims due rows with
 * `FOR UPDATE SKIP LOCKED`, pushes them and records the outcome of each row.
 */
export class CrmOutboxService {
  private wakeHook: (() => void) | null = null;

  constructor(
    private readonly gateway: CrmConnectionGateway,
    private readonly log: Logger,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {}

  /** The outbox worker registers here so new rows are pushed right after their transaction commits. */
  onEnqueued(hook: () => void): void {
    this.wakeHook = hook;
  }

  /**
   * Records that Salesforce must learn the full state `change` describes, in the CURRENT transaction
   * (`ctx.manager`). A pending row for the same record is replaced (its payload is the latest full
   * state), so several changes collapse into one push.
   */
  async enqueue(ctx: RequestContext, change: CrmChange): Promise<void> {
    const problem = validateCrmChange(change);
    if (problem) throw badInput('change', problem);
    const spec = SOBJECTS[change.sobject];
    const now = ctx.now();
    // Version bump + claim_token reset: a push in flight for the old state will not mark the new state done.
    await ctx.manager.query(
      // salesforce_id: known in advance for records written by Id; learned from the push for the others.
      `INSERT INTO crm_outbox (id, environment_id, sobject_type, external_id_field, external_id, payload,
         parent_rank, status, pending_key, version, attempts, next_attempt_at, created_at, updated_at,
         salesforce_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, 1, 0, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE payload = VALUES(payload), version = version + 1, claim_token = NULL,
         salesforce_id = COALESCE(VALUES(salesforce_id), salesforce_id), updated_at = VALUES(updated_at)`,
      [
        newId('obx', now.getTime()),
        ctx.environmentId,
        change.sobject,
        spec.externalIdField,
        change.externalId,
        JSON.stringify(change.fields),
        spec.rank,
        recordKey(change.sobject, change.externalId),
        now,
        now,
        now,
        change.salesforceId ?? null,
      ],
    );
    ctx.afterCommit(() => this.wakeHook?.());
  }

  async depth(ctx: RequestContext): Promise<number> {
    return ctx
      .repo(CrmOutboxEntity)
      .count({ where: { environmentId: ctx.environmentId, status: 'PENDING' } });
  }

  async deadLetterCount(ctx: RequestContext): Promise<number> {
    return ctx.repo(CrmOutboxEntity).count({ where: { environmentId: ctx.environmentId, status: 'DEAD' } });
  }

  async listDeadLetters(ctx: RequestContext, args: PageArgs): Promise<Page<CrmOutboxEntity>> {
    const qb = ctx
      .repo(CrmOutboxEntity)
      .createQueryBuilder('o')
      .where('o.environment_id = :env AND o.status = :status', { env: ctx.environmentId, status: 'DEAD' });
    return pageById(qb, args);
  }

  async findById(ctx: RequestContext, id: string): Promise<CrmOutboxEntity | null> {
    return ctx.repo(CrmOutboxEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  /** Puts a dead letter back in the queue after the data or configuration was fixed. */
  async retryDeadLetter(ctx: RequestContext, id: string): Promise<CrmOutboxEntity> {
    const row = await this.findById(ctx, id);
    if (!row) throw notFound('Dead letter', id);
    if (row.status !== 'DEAD') throw conflict(`Outbox row ${id} is ${row.status}, not a dead letter`, 'id');
    try {
      await ctx.repo(CrmOutboxEntity).update(
        { id, status: 'DEAD' },
        {
          status: 'PENDING',
          pendingKey: recordKey(row.sobjectType, row.externalId),
          attempts: 0,
          nextAttemptAt: ctx.now(),
          claimToken: null,
          claimedUntil: null,
          updatedAt: ctx.now(),
        },
      );
    } catch (error) {
      if ((error as { driverError?: { errno?: number } }).driverError?.errno === 1062) {
        throw conflict(
          `A newer change to ${row.sobjectType} ${row.externalId} is already pending; it carries the full state`,
          'id',
        );
      }
      throw error;
    }
    ctx.afterCommit(() => this.wakeHook?.());
    return (await this.findById(ctx, id))!;
  }

  /**
   * Claims due rows of writable connections, parents first. `SKIP LOCKED` lets several workers claim
   * at once without waiting on (or taking) each other's rows; the claim is a lease recorded on the row,
   * so the push itself runs outside any transaction.
   */
  async claim(ctx: RequestContext, limit: number): Promise<{ token: string; rows: CrmOutboxEntity[] }> {
    const token = randomUUID();
    const now = ctx.now();
    const environments = await this.gateway.writableEnvironments(ctx);
    if (!environments.length) return { token, rows: [] };
    // Concurrent workers touch neighbouring index entries; a deadlock victim is retried by withTransaction.
    const rows = await withTransaction(ctx, async (tx) => {
      const found: CrmOutboxEntity[] = await tx
        .repo(CrmOutboxEntity)
        .createQueryBuilder('o')
        .where('o.status = :status', { status: 'PENDING' })
        .andWhere('o.environment_id IN (:...environments)', { environments })
        .andWhere('o.next_attempt_at <= :now', { now })
        .andWhere('(o.claimed_until IS NULL OR o.claimed_until < :now)', { now })
        .orderBy('o.parent_rank', 'ASC')
        .addOrderBy('o.id', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (!found.length) return [];
      await tx
        .repo(CrmOutboxEntity)
        .update(
          { id: In(found.map((r) => r.id)) },
          { claimToken: token, claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS) },
        );
      return found;
    });
    return { token, rows };
  }

  /**
   * One worker cycle: claim, push per environment, record every row's outcome. `ctx` is the worker's
   * context (rows of every environment are pushed, each through a context scoped to its environment).
   */
  async pushBatch(ctx: RequestContext, limit = 1000): Promise<PushBatchResult> {
    const result: PushBatchResult = { claimed: 0, done: 0, retried: 0, dead: 0, deferred: 0 };
    const now = ctx.now();
    const { token, rows } = await this.claim(ctx, limit);
    result.claimed = rows.length;
    const byEnvironment = new Map<string, CrmOutboxEntity[]>();
    for (const row of rows)
      byEnvironment.set(row.environmentId, [...(byEnvironment.get(row.environmentId) ?? []), row]);
    for (const [environmentId, envRows] of byEnvironment) {
      const envCtx = ctx.forEnvironment(environmentId);
      const client = await this.gateway.clientForEnvironment(envCtx);
      let outcomes: PushOutcome[];
      let stoppedBy: SalesforceError | null = null;
      if (!client) {
        outcomes = envRows.map((r) => ({
          id: r.id,
          status: 'DEFERRED',
          reason: 'Salesforce is not connected',
        }));
      } else {
        const pushable = envRows.map(toPushRow);
        const report = await pushRows(client, pushable, {
          pendingParents: await this.pendingParents(envCtx, pushable),
        });
        outcomes = report.outcomes;
        stoppedBy = report.stoppedBy;
        await this.gateway.recordApiUsage(envCtx);
      }
      await this.recordOutcomes(envCtx, now, token, envRows, outcomes);
      await linkUpsertedAccounts(envCtx, envRows, outcomes, this.log);
      await linkPushedExpansions(envCtx, envRows, outcomes);
      if (stoppedBy) await this.gateway.reportConnectionFailure(envCtx, stoppedBy);
      for (const outcome of outcomes) {
        if (outcome.status === 'DONE') result.done++;
        else if (outcome.status === 'RETRY') result.retried++;
        else if (outcome.status === 'DEAD') result.dead++;
        else result.deferred++;
      }
    }
    return result;
  }

  /** Parents referenced by these rows that are still waiting in the outbox (outside this batch). */
  private async pendingParents(ctx: RequestContext, rows: PushRow[]): Promise<Set<string>> {
    const inBatch = new Set(rows.map((r) => recordKey(r.sobject, r.externalId)));
    const referenced = new Set<string>();
    for (const row of rows)
      for (const value of Object.values(row.fields))
        if (isReference(value)) {
          const key = recordKey(value.ref, value.externalId);
          if (!inBatch.has(key)) referenced.add(key);
        }
    if (!referenced.size) return new Set();
    const pending = await ctx.repo(CrmOutboxEntity).find({
      select: { pendingKey: true },
      where: { environmentId: ctx.environmentId, pendingKey: In([...referenced]) },
    });
    return new Set(pending.map((p) => p.pendingKey!));
  }

  private async recordOutcomes(
    ctx: RequestContext,
    now: Date,
    token: string,
    rows: CrmOutboxEntity[],
    outcomes: PushOutcome[],
  ): Promise<void> {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const done = outcomes.filter((o): o is Extract<PushOutcome, { status: 'DONE' }> => o.status === 'DONE');
    // Each statement is guarded by the claim token, so replaying the whole transaction after a deadlock is safe.
    await withTransaction(ctx, async (tx) => {
      if (done.length) {
        // One statement for the successful rows; the claim token guards against rows re-enqueued meanwhile.
        const cases = done.map(() => 'WHEN ? THEN ?').join(' ');
        await tx.manager.query(
          `UPDATE crm_outbox SET status = 'DONE', pending_key = NULL, done_at = ?, updated_at = ?,
             claim_token = NULL, claimed_until = NULL, last_error = NULL, last_error_code = NULL,
             salesforce_id = CASE id ${cases} ELSE salesforce_id END
           WHERE claim_token = ? AND id IN (${done.map(() => '?').join(',')})`,
          [now, now, ...done.flatMap((o) => [o.id, o.salesforceId]), token, ...done.map((o) => o.id)],
        );
      }
      for (const outcome of outcomes) {
        if (outcome.status === 'DONE') continue;
        const row = byId.get(outcome.id)!;
        if (outcome.status === 'DEFERRED') {
          await tx.manager.query(
            `UPDATE crm_outbox SET claim_token = NULL, claimed_until = NULL, next_attempt_at = ?, updated_at = ?
             WHERE id = ? AND claim_token = ?`,
            [new Date(now.getTime() + DEFER_DELAY_MS), now, outcome.id, token],
          );
          continue;
        }
        const attempts = row.attempts + 1;
        const giveUp = outcome.status === 'DEAD' || attempts >= MAX_TRANSIENT_ATTEMPTS;
        const message =
          outcome.status === 'RETRY' && giveUp
            ? `Gave up after ${attempts} transient failures; last: ${outcome.message}`
            : outcome.message;
        if (giveUp) {
          this.log.warn({ outboxId: row.id, code: outcome.code }, 'CRM outbox row dead-lettered');
          await tx.manager.query(
            `UPDATE crm_outbox SET status = 'DEAD', pending_key = NULL, attempts = ?, last_error_code = ?,
               last_error = ?, claim_token = NULL, claimed_until = NULL, updated_at = ?
             WHERE id = ? AND claim_token = ?`,
            [attempts, outcome.code.slice(0, 80), message.slice(0, 2000), now, outcome.id, token],
          );
          await this.webhooks.record(tx, 'salesforce.dead_letter', outcome.id);
        } else {
          const delay = backoffDelayMs(attempts, BACKOFF_BASE_MS, BACKOFF_MAX_MS);
          await tx.manager.query(
            `UPDATE crm_outbox SET attempts = ?, next_attempt_at = ?, last_error_code = ?, last_error = ?,
               claim_token = NULL, claimed_until = NULL, updated_at = ?
             WHERE id = ? AND claim_token = ?`,
            [
              attempts,
              new Date(now.getTime() + delay),
              outcome.code.slice(0, 80),
              message.slice(0, 2000),
              now,
              outcome.id,
              token,
            ],
          );
        }
      }
      // Rows re-enqueued while we pushed lost our token: free them so their newest state goes out next.
      await tx.manager.query(
        `UPDATE crm_outbox SET claimed_until = NULL
         WHERE id IN (${rows.map(() => '?').join(',')}) AND claim_token IS NULL AND status = 'PENDING'`,
        rows.map((r) => r.id),
      );
    });
  }
}

function toPushRow(row: CrmOutboxEntity): PushRow {
  if (!isCrmSObject(row.sobjectType))
    throw new Error(`Unknown sObject ${row.sobjectType} in outbox row ${row.id}`);
  return {
    id: row.id,
    sobject: row.sobjectType,
    externalId: row.externalId,
    salesforceId: row.salesforceId,
    fields: row.payload as Record<string, CrmFieldValue>,
  };
}
