import { billingPeriods, periodContaining, type BillingCycle } from '../../src/domain/periods';

const day = (text: string) => new Date(`${text}T00:00:00Z`);
const spans = (periods: Array<{ start: Date; end: Date }>) =>
  periods.map((p) => `${p.start.toISOString().slice(0, 10)}..${p.end.toISOString().slice(0, 10)}`);
const schedule = (cycle: BillingCycle, start: string, end: string | null) => ({
  startDate: day(start),
  endDate: end === null ? null : day(end),
  cycle,
});

describe('WEEKLY periods', () => {
  it('are 7 days each, across a month end and a year end', () => {
    // From Wed 2026-12-23: +7 days each, through Dec 30 → Jan 6 → Jan 13.
    expect(
      spans(billingPeriods({ ...schedule('WEEKLY', '2026-12-23', null), until: day('2027-01-10') })),
    ).toEqual(['2026-12-23..2026-12-30', '2026-12-30..2027-01-06', '2027-01-06..2027-01-13']);
  });

  it('cross the end of February in a leap year without clamping', () => {
    // 2028-02-26 + 7 = 2028-03-04 (29 Feb exists in 2028: 26, 27, 28, 29, 1, 2, 3 are the 7 days).
    expect(
      spans(billingPeriods({ ...schedule('WEEKLY', '2028-02-26', null), until: day('2028-03-05') })),
    ).toEqual(['2028-02-26..2028-03-04', '2028-03-04..2028-03-11']);
  });

  it('a fixed term ends the last week early, keeping the week as the proration base', () => {
    // Jan 1 (Thu) to Jan 10 inclusive: Jan 1–8, then Jan 8–11 (3 of 7 days).
    const periods = billingPeriods(schedule('WEEKLY', '2026-01-01', '2026-01-10'));
    expect(spans(periods)).toEqual(['2026-01-01..2026-01-08', '2026-01-08..2026-01-11']);
    expect(periods[1].nominalEnd).toEqual(day('2026-01-15'));
  });

  it('periodContaining finds the week of an instant far from the start', () => {
    // 2026-01-01 + 52 weeks = 2026-12-31 (364 days); Dec 31 12:00 is in period 52.
    const period = periodContaining(schedule('WEEKLY', '2026-01-01', null), new Date('2026-12-31T12:00:00Z'));
    expect(period?.index).toBe(52);
    expect(spans([period!])).toEqual(['2026-12-31..2027-01-07']);
    // The last instant of the previous week is still in period 51.
    expect(
      periodContaining(schedule('WEEKLY', '2026-01-01', null), new Date('2026-12-30T23:59:59.999Z'))?.index,
    ).toBe(51);
  });
});

describe('SEMIANNUAL periods', () => {
  it('are 6 months from the anchor day, clamped at month ends and back after', () => {
    // Aug 31 + 6 months = Feb 28 (2027 is not a leap year), + 12 months = Aug 31 again (from the anchor).
    expect(
      spans(billingPeriods({ ...schedule('SEMIANNUAL', '2026-08-31', null), until: day('2027-09-01') })),
    ).toEqual(['2026-08-31..2027-02-28', '2027-02-28..2027-08-31', '2027-08-31..2028-02-29']);
  });

  it('periodContaining finds the half-year of an instant', () => {
    // From Mar 15: Mar 15–Sep 15, Sep 15–Mar 15; Jan 1 2027 is in the second.
    const period = periodContaining(schedule('SEMIANNUAL', '2026-03-15', null), day('2027-01-01'));
    expect(period?.index).toBe(1);
    expect(spans([period!])).toEqual(['2026-09-15..2027-03-15']);
  });
});
