/**
 * Webhooks: endpoints, the event outbox other features record into (in their own transactions), signed
 * delivery with retries and dead letters, and the deliveries view.
 * Other folders import this feature only through this file.
 */
export {
  MAX_WEBHOOK_DESCRIPTION_LENGTH,
  MAX_WEBHOOK_ENDPOINTS,
  MAX_WEBHOOK_URL_LENGTH,
  WebhookEndpointService,
} from './webhook-endpoint.service';
export type { EndpointWithSecret, WebhookEndpointInput } from './webhook-endpoint.service';
export { WEBHOOK_DELIVERY_STATUSES, WebhookDeliveryService } from './webhook-deliveries.service';
export type { AttemptResult, ClaimedDelivery, RetryPolicy } from './webhook-deliveries.service';
export { WebhookEventService } from './webhook-events.service';
export {
  WEBHOOK_API_VERSION,
  WEBHOOK_EVENT_TYPES,
  isWebhookEventType,
  noWebhookEvents,
} from './webhook-event-types';
export type { WebhookEventSink, WebhookEventType } from './webhook-event-types';
export { RESPONSE_EXCERPT_BYTES, WebhookSender } from './webhook-sender';
