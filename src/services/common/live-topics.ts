import type { RequestContext } from '../../context';
import type { PubSub } from './pubsub';

/**
 * The pub/sub topics live subscriptions listen to. Publishers announce *that* something changed (never
 * the new state): subscribers re-read the committed state, so a message may be lost or duplicated safely.
 *
 *   usage:<env>:<customer>      the aggregator committed new usage of the customer (aggregator worker)
 *   credits:<env>:<customer>    a credit balance changed (credit ledger)
 *   contracts:<env>:<customer>  a contract of the customer was created or changed (contract service)
 *   invoices:<env>:<customer>   an invoice of the customer was finalized or voided (invoice service)
 *   catalog:<env>               a rate card changed: it may price every customer of the environment
 */
export const liveTopics = {
  usage: (environmentId: string, customerId: string) => `usage:${environmentId}:${customerId}`,
  credits: (environmentId: string, customerId: string) => `credits:${environmentId}:${customerId}`,
  contracts: (environmentId: string, customerId: string) => `contracts:${environmentId}:${customerId}`,
  invoices: (environmentId: string, customerId: string) => `invoices:${environmentId}:${customerId}`,
  catalog: (environmentId: string) => `catalog:${environmentId}`,
};

/**
 * Publishes `topic` once the surrounding transaction has committed (at once outside a transaction), so
 * subscribers never see, or re-read, work that is then rolled back. A failed publish is logged, not thrown:
 * the change itself is committed.
 */
export function publishAfterCommit(
  ctx: RequestContext,
  pubsub: PubSub | null | undefined,
  topic: string,
  payload: Record<string, unknown> = {},
): void {
  if (!pubsub) return;
  ctx.afterCommit(() =>
    pubsub.publish(topic, { environmentId: ctx.environmentId, ...payload }).catch((err: unknown) => {
      ctx.log.warn({ err, topic }, 'live update notification failed');
    }),
  );
}
