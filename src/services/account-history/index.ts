/**
 * Account history: one chronological feed per customer over the tables that already record what happened
 * (read-only over the other features' tables).
 * Other folders import this feature only through this file.
 */
export { AccountHistoryService } from './account-history.service';
export type { AccountHistoryArgs, AccountHistoryEntry } from './account-history.service';
export { ACCOUNT_HISTORY_KINDS } from './history-sources';
export type { AccountHistoryKind } from './history-sources';
