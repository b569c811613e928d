/**
 * CRM: the Salesforce connection (OAuth, token storage, polling deals into drafts) and the outbox that pushes billing changes back.
 * Other folders import this feature only through this file.
 */
export { CrmOutboxService } from './crm-outbox.service';
export { CustomerAccountLinks } from './customer-account-links';
export { ExpansionCrmSync } from './expansion-crm-sync';
export type { PushBatchResult } from './crm-outbox.service';
export { outboxStats } from './outbox-stats';
export type { OutboxStats } from './outbox-stats';
export { SalesforceClients } from './salesforce-clients';
export { SalesforceConnectionQueries } from './salesforce-connection-queries';
export type { TriggerSecretOwner } from './salesforce-connection-queries';
export { SalesforceConnectionService } from './salesforce-connection.service';
export { connectionApiUsage, connectionFieldConfig } from './salesforce-connection-view';
export type { SalesforceConnectionRecord } from './salesforce-connection-view';
export { SalesforceCrmGateway } from './salesforce-crm-gateway';
export type { SyncResult } from './salesforce-deal-sync';
export { SecretBox } from './secret-box';
export { SelfServeCrmSync } from './self-serve-crm-sync';
export type { CrmOrderType } from './self-serve-crm-sync';
export { emptyCounts } from './deal-sink';
export type { DealSink, ProductMappingRules, SyncCounts } from './deal-sink';
