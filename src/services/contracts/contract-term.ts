import { badInput } from '../../domain/errors';
import { BILLING_ALIGNMENTS, daysBetween, startOfUtcDay, type BillingAlignment } from '../../domain/periods';

/** Longest fixed term: bounds the invoices pre-generated at creation (100 years of monthly periods). */
export const MAX_TERM_YEARS = 100;

/**
 * A new contract's term. The start is an instant (usually 00:00 UTC; a later time of day is honoured: usage
 * before it is not billed, while periods and fees count from its UTC day); the end is a UTC day, inclusive,
 * which may not precede the start's day nor exceed MAX_TERM_YEARS.
 */
export function checkContractTerm(start: Date, end: Date | null): { startDate: Date; endDate: Date | null } {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) {
    throw badInput('input.startDate', 'must be a date');
  }
  const startDate = start;
  if (end === null) return { startDate, endDate: null };
  if (!(end instanceof Date) || Number.isNaN(end.getTime()))
    throw badInput('input.endDate', 'must be a date');
  const endDate = startOfUtcDay(end);
  const termDays = daysBetween(startOfUtcDay(startDate), endDate);
  if (termDays < 0) {
    throw badInput('input.endDate', 'is the last day covered and may not be before startDate');
  }
  if (termDays > MAX_TERM_YEARS * 366) {
    throw badInput('input.endDate', `a fixed term may last at most ${MAX_TERM_YEARS} years`);
  }
  return { startDate, endDate };
}

/** A contract's period alignment: ANNIVERSARY (the default) or CALENDAR (periods.ts explains both). */
export function checkBillingAlignment(value: BillingAlignment | null | undefined): BillingAlignment {
  const alignment = value ?? 'ANNIVERSARY';
  if (!BILLING_ALIGNMENTS.includes(alignment))
    throw badInput('input.billingAlignment', `must be one of ${BILLING_ALIGNMENTS.join(', ')}`);
  return alignment;
}
