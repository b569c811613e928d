/**
 * Expansion and contraction between the self-serve and sales-led channels: a self-serve customer asking to
 * talk to sales (an Opportunity in Salesforce), the negotiated contract replacing the self-serve one when
 * that deal is confirmed, and a sales-led contract moving onto a self-serve plan at the end of its term.
 * Other folders import this feature only through this file.
 */
export { ExpansionRequestService } from './expansion-requests';
export { ExpansionConfirmation } from './expansion-confirmation';
export type { ExpansionDeal, ExpansionIssue, FinishExpansion } from './expansion-confirmation';
export { ContractionService } from './contraction.service';
export type { ContractionEffective, ScheduleContractionInput } from './contraction.service';
