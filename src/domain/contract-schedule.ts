import {
  billingPeriods,
  contractEndExclusive,
  nextPeriod,
  periodContaining,
  periodAt,
  type BillingPeriod,
  type PeriodSchedule,
  type BillingCycle,
  type BillingAlignment,
} from './periods';

/**
 * Bridges a contract to the pure period rules of periods.ts: the schedule, the contract's exclusive end,
 * and which periods must have a pre-generated invoice at a given instant. The stored contract satisfies
 * these shapes as it is.
 */
export interface ScheduledContract {
  /** Where the billing periods start counting (the start, or a later cycle change's boundary). */
  billingAnchor: Date;
  /** Inclusive last day covered; null when evergreen. */
  endDate: Date | null;
  billingCycle: BillingCycle;
  /** ANNIVERSARY (default) or CALENDAR-aligned periods with a first stub. */
  billingAlignment?: BillingAlignment;
}

/** A contract as coverage sees it: its dates and whether it was cancelled. */
export interface CoveringContract {
  startDate: Date;
  endDate: Date | null;
  status: string;
}

export function contractSchedule(contract: ScheduledContract): PeriodSchedule {
  return {
    startDate: contract.billingAnchor,
    endDate: contract.endDate,
    cycle: contract.billingCycle,
    alignment: contract.billingAlignment ?? 'ANNIVERSARY',
  };
}

/** The first instant the contract no longer covers; null when evergreen. */
export function contractEnd(contract: Pick<ScheduledContract, 'endDate'>): Date | null {
  return contractEndExclusive(contract.endDate);
}

/** True when the contract covers instant `at` (start ≤ at < end). Cancelled contracts cover nothing. */
export function coversInstant(contract: CoveringContract, at: Date): boolean {
  if (contract.status === 'CANCELLED') return false;
  const end = contractEnd(contract);
  return contract.startDate.getTime() <= at.getTime() && (end === null || at.getTime() < end.getTime());
}

/** The billing period an invoice covers, with `nominalEnd` (the proration denominator) restored. */
export function periodOfInvoice(contract: ScheduledContract, periodStart: Date): BillingPeriod {
  const period = periodContaining(contractSchedule(contract), periodStart);
  if (!period || period.start.getTime() !== periodStart.getTime()) {
    throw new Error(`No billing period of the contract starts at ${periodStart.toISOString()}`);
  }
  return period;
}

/**
 * The periods whose invoices must exist at instant `now`:
 * - fixed term: every period of the term;
 * - evergreen: every period up to and including the one after the current one (before the start: the
 *   first two). Periods already past are included, so a back-dated contract bills its past periods.
 */
export function periodsToGenerate(contract: ScheduledContract, now: Date): BillingPeriod[] {
  const schedule = contractSchedule(contract);
  if (schedule.endDate !== null) return billingPeriods(schedule);
  const current = periodContaining(schedule, now) ?? periodAt(schedule, 0);
  const next = current ? nextPeriod(schedule, current) : null;
  if (!next) return current ? billingPeriods({ ...schedule, until: new Date(current.end.getTime()) }) : [];
  return billingPeriods({ ...schedule, until: new Date(next.start.getTime() + 1) });
}
