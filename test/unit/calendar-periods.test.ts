import { prorateFlatFee } from '../../src/domain/proration';
import { Decimal } from '../../src/domain/money';
import {
  billingPeriods,
  calendarPeriodStart,
  periodContaining,
  type BillingCycle,
} from '../../src/domain/periods';

const day = (text: string) => new Date(`${text}T00:00:00Z`);
const spans = (periods: Array<{ start: Date; end: Date }>) =>
  periods.map((p) => `${p.start.toISOString().slice(0, 10)}..${p.end.toISOString().slice(0, 10)}`);
const calendar = (cycle: BillingCycle, start: string, end: string | null = null) => ({
  startDate: day(start),
  endDate: end === null ? null : day(end),
  cycle,
  alignment: 'CALENDAR' as const,
});

describe('calendar billing periods', () => {
  it('calendar period starts: 1st of month, quarter, half-year, year; Monday of the week', () => {
    expect(calendarPeriodStart(day('2026-05-17'), 'MONTHLY')).toEqual(day('2026-05-01'));
    expect(calendarPeriodStart(day('2026-05-17'), 'QUARTERLY')).toEqual(day('2026-04-01'));
    expect(calendarPeriodStart(day('2026-05-17'), 'SEMIANNUAL')).toEqual(day('2026-01-01'));
    expect(calendarPeriodStart(day('2026-09-17'), 'SEMIANNUAL')).toEqual(day('2026-07-01'));
    expect(calendarPeriodStart(day('2026-05-17'), 'ANNUAL')).toEqual(day('2026-01-01'));
    // 2026-05-17 is a Sunday: its week began on Monday the 11th; a Monday is its own week's start.
    expect(calendarPeriodStart(day('2026-05-17'), 'WEEKLY')).toEqual(day('2026-05-11'));
    expect(calendarPeriodStart(day('2026-05-11'), 'WEEKLY')).toEqual(day('2026-05-11'));
  });

  it('monthly from the 17th: a stub to the end of the month, then calendar months', () => {
    const periods = billingPeriods({ ...calendar('MONTHLY', '2026-01-17'), until: day('2026-03-15') });
    expect(spans(periods)).toEqual([
      '2026-01-17..2026-02-01',
      '2026-02-01..2026-03-01',
      '2026-03-01..2026-04-01',
    ]);
    expect(periods[0].nominalStart).toEqual(day('2026-01-01'));
    expect(periods[1].nominalStart).toBeUndefined();
  });

  it('the stub is prorated over its whole calendar month', () => {
    const [stub] = billingPeriods({ ...calendar('MONTHLY', '2026-01-17'), until: day('2026-01-18') });
    // Jan 17 → Feb 1 = 15 of January's 31 days: 31.00 × 15 / 31 = 15.00.
    const fee = prorateFlatFee(new Decimal('31'), stub);
    expect([fee.coveredDays, fee.periodDays, fee.amount.toFixed()]).toEqual([15, 31, '15']);
  });

  it('a start on the 1st has no stub', () => {
    const periods = billingPeriods({ ...calendar('MONTHLY', '2026-02-01'), until: day('2026-03-01') });
    expect(spans(periods)).toEqual(['2026-02-01..2026-03-01']);
    expect(periods[0].nominalStart).toBeUndefined();
  });

  it('quarterly from Feb 20 with a fixed term ending Aug 10: stub, full quarter, partial last quarter', () => {
    const periods = billingPeriods(calendar('QUARTERLY', '2026-02-20', '2026-08-10'));
    expect(spans(periods)).toEqual([
      '2026-02-20..2026-04-01',
      '2026-04-01..2026-07-01',
      '2026-07-01..2026-08-11',
    ]);
    expect(periods[0].nominalStart).toEqual(day('2026-01-01'));
    expect(periods[2].nominalEnd).toEqual(day('2026-10-01'));
  });

  it('annual from Nov 3: the rest of the year, then calendar years', () => {
    const periods = billingPeriods({ ...calendar('ANNUAL', '2026-11-03'), until: day('2027-06-01') });
    expect(spans(periods)).toEqual(['2026-11-03..2027-01-01', '2027-01-01..2028-01-01']);
  });

  it('periodContaining: the stub holds its days, the start day is the first instant', () => {
    const schedule = calendar('MONTHLY', '2026-01-17');
    expect(periodContaining(schedule, new Date('2026-01-16T23:59:59Z'))).toBeNull();
    expect(spans([periodContaining(schedule, day('2026-01-17'))!])).toEqual(['2026-01-17..2026-02-01']);
    expect(spans([periodContaining(schedule, new Date('2026-02-28T12:00:00Z'))!])).toEqual([
      '2026-02-01..2026-03-01',
    ]);
  });
});
