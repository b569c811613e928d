/**
 * CRM: the Salesforce connection (OAuth, token storage, polling deals into drafts) and the outbox that pushes billing changes back.
 * Other folders import this feature only through this file.
 */
export { CrmOutboxService } from './crm-outbox.service';
export type { PushBatchResult } from './crm-outbox.service';
export { SalesforceConnectionService } from './salesforce-connection.service';
export type { SyncResult } from './salesforce-connection.service';
export { SecretBox } from './secret-box';
export { SelfServeCrmSync } from './self-serve-crm-sync';
export type { CrmOrderType } from './self-serve-crm-sync';
