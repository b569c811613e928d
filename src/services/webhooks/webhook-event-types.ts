import type { RequestContext } from '../../context';

/**
 * The webhook event types Tally records, and the kind of object each one reports (its `data` is that
 * object's full current state, see webhook-snapshots.ts).
 */
export const WEBHOOK_EVENT_OBJECTS = {
  'invoice.finalized': 'invoice',
  'invoice.voided': 'invoice',
  'invoice.paid': 'invoice',
  // A charge of the invoice failed (auto-pay decline, a processor's failed confirmation).
  'invoice.payment_failed': 'invoice',
  'credits.granted': 'credit_grant',
  'credits.expired': 'credit_grant',
  'contract.created': 'contract',
  'contract.amended': 'contract',
  'contract.cancelled': 'contract',
  'contract.renewed': 'contract',
  'contract_draft.created': 'contract_draft',
  'contract_draft.confirmed': 'contract_draft',
  'salesforce.dead_letter': 'salesforce_outbox_entry',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_OBJECTS;
export type WebhookObjectKind = (typeof WEBHOOK_EVENT_OBJECTS)[WebhookEventType];

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_OBJECTS) as WebhookEventType[];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENT_OBJECTS, value);
}

/** The version of every payload shape; a breaking change to a payload gets a new one. */
export const WEBHOOK_API_VERSION = '2026-12-01';

/**
 * What other features call, in the transaction of the change: records `type` for the object `objectId`.
 * Features receive it through their constructors (a no-op where webhooks are not wired, e.g. unit setups).
 */
export interface WebhookEventSink {
  record(tx: RequestContext, type: WebhookEventType, objectId: string): Promise<unknown>;
}

export const noWebhookEvents: WebhookEventSink = { record: async () => null };
