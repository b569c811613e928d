import { addDays, contractEndExclusive } from './periods';

/** What happens when a fixed-term contract reaches its end. */
export type ContractEndAction = 'RENEWS' | 'ENDS' | 'CONTRACTS_TO_PLAN';

/** The longest notice period a contract may ask for (a year). */
export const MAX_RENEWAL_NOTICE_DAYS = 365;

export interface ContractTerm {
  endDate: Date | null;
  autoRenew: boolean;
  renewalNoticeDays: number | null;
}

/**
 * What the contract does at its end: a contract another one continues from the day after its last day
 * (a scheduled move to a self-serve plan) CONTRACTS_TO_PLAN; otherwise it RENEWS with auto-renew on and ENDS
 * with it off. Null for an evergreen contract: it has no end.
 */
export function endAction(term: ContractTerm, continued: boolean): ContractEndAction | null {
  if (term.endDate === null) return null;
  if (continued) return 'CONTRACTS_TO_PLAN';
  return term.autoRenew ? 'RENEWS' : 'ENDS';
}

/**
 * The first instant at which notice comes too late: the end (exclusive) minus the notice period. Turning
 * auto-renew off must happen before it. Null without an end or without a notice period.
 */
export function noticeDeadline(term: ContractTerm): Date | null {
  const end = contractEndExclusive(term.endDate);
  if (end === null || term.renewalNoticeDays === null) return null;
  return addDays(end, -term.renewalNoticeDays);
}
