import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { WebhookEventEntity } from '../../entities/webhook-event.entity';
import {
  WEBHOOK_API_VERSION,
  WEBHOOK_EVENT_OBJECTS,
  type WebhookEventSink,
  type WebhookEventType,
} from './webhook-event-types';
import { SNAPSHOTS } from './webhook-snapshots';

/**
 * The webhook outbox. `record` runs in the transaction of the change it reports: the event and one
 * delivery per subscribed, enabled endpoint commit (or roll back) with the change, so nothing is announced
 * that did not happen and nothing that happened is lost. The delivery worker is woken after the commit.
 */
export class WebhookEventService implements WebhookEventSink {
  private wakeHook: (() => void) | null = null;

  /** The delivery worker registers here so new deliveries go out right after their transaction commits. */
  onRecorded(hook: () => void): void {
    this.wakeHook = hook;
  }

  /** Returns the event's id, or null when no endpoint subscribes to `type` (nothing is written). */
  async record(ctx: RequestContext, type: WebhookEventType, objectId: string): Promise<string | null> {
    return withTransaction(ctx, async (tx) => {
      const endpoints = (await tx.manager.query(
        "SELECT id, event_types AS eventTypes FROM webhook_endpoints WHERE environment_id = ? AND status = 'ENABLED'",
        [tx.environmentId],
      )) as Array<{ id: string; eventTypes: string | string[] }>;
      const subscribed = endpoints.filter((e) => parseTypes(e.eventTypes).includes(type));
      // Nobody listens: billing pays nothing for webhooks (no snapshot read, no rows).
      if (!subscribed.length) return null;
      const now = tx.now();
      const id = newId('evt', now.getTime());
      const body = {
        id,
        type,
        apiVersion: WEBHOOK_API_VERSION,
        createdAt: now.toISOString(),
        data: await SNAPSHOTS[WEBHOOK_EVENT_OBJECTS[type]](tx, objectId),
      };
      const inserted = (await tx.manager.query(
        'INSERT INTO webhook_events (id, environment_id, type, object_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        [id, tx.environmentId, type, objectId, JSON.stringify(body), now],
      )) as { insertId: number | string };
      const seq = String(inserted.insertId);
      await tx.manager.query(
        `INSERT INTO webhook_deliveries (id, environment_id, endpoint_id, event_id, event_seq, object_id, status,
           attempts, next_attempt_at, created_at, updated_at)
         VALUES ${subscribed.map(() => "(?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)").join(', ')}`,
        subscribed.flatMap((endpoint) => [
          newId('whd', now.getTime()),
          tx.environmentId,
          endpoint.id,
          id,
          seq,
          objectId,
          now,
          now,
          now,
        ]),
      );
      tx.afterCommit(() => this.wakeHook?.());
      return id;
    });
  }

  async getOrThrow(ctx: RequestContext, id: string): Promise<WebhookEventEntity> {
    const event = await ctx
      .repo(WebhookEventEntity)
      .findOne({ where: { id, environmentId: ctx.environmentId } });
    if (!event) throw notFound('Webhook event', id, 'eventId');
    return event;
  }

  /**
   * Sends an event again, with the same id (receivers de-duplicate on it), to every endpoint it was
   * addressed to (or only `endpointId`): their deliveries go back to PENDING with a fresh retry window.
   * Returns how many deliveries were queued.
   */
  async resend(ctx: RequestContext, eventId: string, endpointId?: string | null): Promise<number> {
    return withTransaction(ctx, async (tx) => {
      await this.getOrThrow(tx, eventId);
      const now = tx.now();
      const result = (await tx.manager.query(
        `UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?, created_at = ?,
           updated_at = ?, claim_token = NULL, claimed_until = NULL, delivered_at = NULL
         WHERE event_id = ? AND environment_id = ?${endpointId ? ' AND endpoint_id = ?' : ''}`,
        [now, now, now, eventId, tx.environmentId, ...(endpointId ? [endpointId] : [])],
      )) as { affectedRows: number };
      if (endpointId && !result.affectedRows)
        throw notFound('Delivery of the event to endpoint', endpointId, 'endpointId');
      tx.afterCommit(() => this.wakeHook?.());
      return result.affectedRows;
    });
  }
}

/** MariaDB hands JSON columns back as text in raw queries. */
function parseTypes(value: string | string[]): string[] {
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : value;
}
