/**
 * Live: coalesced feeds of draft invoices and credit balances for GraphQL subscriptions.
 * Other folders import this feature only through this file.
 */
export { FeedSubscription } from './live-feeds';
export { LiveInvoiceService } from './live-invoice.service';
export type { DraftInvoiceUpdate } from './live-invoice.service';
