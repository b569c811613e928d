import { closedWindow } from '../../src/domain/minimum-commitment';
import { billingPeriods, parseCalendarDate } from '../../src/domain/periods';

const day = parseCalendarDate;

/** Which invoice closes which commitment window (the true-up's place), for each scope. */
describe('closedWindow', () => {
  // 15 March 2026 – 14 September 2027, billed quarterly: periods start 15 Mar, 15 Jun, 15 Sep, 15 Dec 2026,
  // 15 Mar 2027, 15 Jun 2027 (the last cut short: 15 Jun – 15 Sep 2027 is exactly the nominal quarter).
  const contract = { startDate: day('2026-03-15'), endDate: day('2027-09-14') };
  const periods = billingPeriods({ ...contract, cycle: 'QUARTERLY' });

  it("CONTRACT_YEAR closes on the period holding each year's last day; the last year is prorated", () => {
    const closing = periods
      .map((p) => closedWindow('CONTRACT_YEAR', contract, p))
      .map((w) =>
        w
          ? [w.start.toISOString().slice(0, 10), w.end.toISOString().slice(0, 10), w.coveredDays, w.fullDays]
          : null,
      );
    // Year 1: 15 Mar 2026 – 15 Mar 2027, 365 days, closed by the 4th quarter (15 Dec – 15 Mar).
    // Year 2: 15 Mar 2027 – the contract's end 15 Sep 2027 = 184 days (17+30+31+30+31+31+14) of the
    // 366-day year to 15 Mar 2028 (29 Feb 2028), closed by the last quarter.
    expect(closing).toEqual([
      null,
      null,
      null,
      ['2026-03-15', '2027-03-15', 365, 365],
      null,
      ['2027-03-15', '2027-09-15', 184, 366],
    ]);
  });

  it('TERM closes on the last period only and is never prorated; evergreen contracts have none', () => {
    const closing = periods.map((p) => closedWindow('TERM', contract, p));
    expect(closing.slice(0, 5)).toEqual([null, null, null, null, null]);
    // 15 Mar 2026 – 15 Sep 2027: 365 + 184 = 549 days.
    expect(closing[5]).toMatchObject({ coveredDays: 549, fullDays: 549 });
    const evergreen = { startDate: day('2026-03-15'), endDate: null };
    expect(closedWindow('TERM', evergreen, periods[0])).toBeNull();
  });
});
