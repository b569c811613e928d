import { lineAmount } from '../../src/domain/invoice-math';
import { Decimal } from '../../src/domain/money';
import {
  billingPeriods,
  parseCalendarDate,
  periodContaining,
  type PeriodSchedule,
} from '../../src/domain/periods';
import { overlapDays, prorate, prorateFlatFee } from '../../src/domain/proration';

const d = (value: string) => new Decimal(value);
const day = (text: string) => parseCalendarDate(text);
const at = (iso: string) => new Date(iso);

describe('prorate', () => {
  it('a full period is exactly the amount (no division)', () => {
    const amount = d('99.99');
    expect(prorate(amount, 31, 31)).toBe(amount);
    expect(prorate(d('1000'), 92, 92).toFixed()).toBe('1000');
  });

  it('prorates by covered days over period days, unrounded', () => {
    expect(prorate(d('310'), 10, 31).toFixed()).toBe('100');
    expect(prorate(d('300'), 16, 92).toFixed(12)).toBe('52.173913043478');
    expect(prorate(d('100'), 1, 3).toFixed(20)).toBe('33.33333333333333333333');
  });

  it('accepts Decimal day counts', () => {
    expect(prorate(d('280'), d('14'), d('28')).toFixed()).toBe('140');
  });

  it('zero covered days is zero', () => {
    expect(prorate(d('500'), 0, 30).isZero()).toBe(true);
  });

  it('rejects impossible coverage', () => {
    expect(() => prorate(d('10'), 31, 30)).toThrow(/coveredDays/);
    expect(() => prorate(d('10'), -1, 30)).toThrow(/coveredDays/);
    expect(() => prorate(d('10'), 0, 0)).toThrow(/periodDays/);
    expect(() => prorate(d('10'), 0, -5)).toThrow(/periodDays/);
  });
});

describe('overlapDays', () => {
  const march = { start: day('2026-03-01'), end: day('2026-04-01') };

  it('counts the days of a range inside a period', () => {
    expect(overlapDays(march, day('2026-03-01'), day('2026-04-01'))).toBe(31);
    expect(overlapDays(march, day('2026-03-10'), day('2026-03-20'))).toBe(10);
  });

  it('clips to the period', () => {
    expect(overlapDays(march, day('2026-02-01'), day('2026-03-05'))).toBe(4);
    expect(overlapDays(march, day('2026-03-25'), day('2026-05-01'))).toBe(7);
    expect(overlapDays(march, day('2026-01-01'), day('2027-01-01'))).toBe(31);
  });

  it('is zero for ranges outside or empty', () => {
    expect(overlapDays(march, day('2026-04-01'), day('2026-05-01'))).toBe(0);
    expect(overlapDays(march, day('2026-02-01'), day('2026-03-01'))).toBe(0);
    expect(overlapDays(march, day('2026-03-15'), day('2026-03-15'))).toBe(0);
    expect(overlapDays(march, day('2026-03-20'), day('2026-03-10'))).toBe(0);
  });

  it('truncates instants to their UTC day, so both sides of a change add up', () => {
    const change = at('2026-03-10T14:00:00Z');
    const before = overlapDays(march, day('2026-03-01'), change);
    const after = overlapDays(march, change, day('2026-04-01'));
    expect([before, after]).toEqual([9, 22]);
    expect(before + after).toBe(31);
  });
});

describe('prorateFlatFee', () => {
  it('a full period bills the whole fee', () => {
    const [period] = billingPeriods({
      startDate: day('2026-02-01'),
      endDate: day('2026-02-28'),
      cycle: 'MONTHLY',
    });
    expect(prorateFlatFee(d('49'), period)).toEqual({
      amount: d('49'),
      coveredDays: 28,
      periodDays: 28,
      full: true,
    });
  });

  it('quarterly contract from Jan 31 ending Aug 15 (net 45): the last, partial period bills 16/92 of the fee', () => {
    const schedule: PeriodSchedule = {
      startDate: day('2026-01-31'),
      endDate: day('2026-08-15'),
      cycle: 'QUARTERLY',
    };
    const fees = billingPeriods(schedule).map((period) => prorateFlatFee(d('300.00'), period));
    expect(fees.map((f) => [f.coveredDays, f.periodDays, f.full])).toEqual([
      [89, 89, true],
      [92, 92, true],
      [16, 92, false],
    ]);
    expect(fees.map((f) => lineAmount(f.amount, 'USD').amount.toFixed(2))).toEqual([
      '300.00',
      '300.00',
      '52.17',
    ]);
    expect(lineAmount(fees[2].amount, 'USD').preciseAmount.toFixed()).toBe('52.173913043478');
  });

  it('a plan change mid-month splits the fee by days between the old and new plan', () => {
    const schedule: PeriodSchedule = { startDate: day('2026-01-01'), endDate: null, cycle: 'MONTHLY' };
    const change = at('2026-03-10T14:00:00Z');
    const period = periodContaining(schedule, change)!;
    const oldPart = prorateFlatFee(d('100'), period, { from: period.start, to: change });
    const newPart = prorateFlatFee(d('250'), period, { from: change, to: period.end });
    expect([oldPart.coveredDays, newPart.coveredDays, oldPart.periodDays]).toEqual([9, 22, 31]);
    expect(lineAmount(oldPart.amount, 'USD').amount.toFixed(2)).toBe('29.03');
    expect(lineAmount(newPart.amount, 'USD').amount.toFixed(2)).toBe('177.42');
  });

  it('the same fee on both sides of a change adds back to the fee (within rounding)', () => {
    const [period] = billingPeriods({
      startDate: day('2026-03-01'),
      endDate: day('2026-03-31'),
      cycle: 'MONTHLY',
    });
    const change = day('2026-03-10');
    const a = prorateFlatFee(d('100'), period, { from: period.start, to: change });
    const b = prorateFlatFee(d('100'), period, { from: change, to: period.end });
    expect(a.amount.plus(b.amount).toFixed()).toBe('100');
    expect(lineAmount(a.amount, 'USD').amount.plus(lineAmount(b.amount, 'USD').amount).toFixed(2)).toBe(
      '100.00',
    );
  });

  it('a range outside the period bills nothing', () => {
    const [period] = billingPeriods({
      startDate: day('2026-03-01'),
      endDate: day('2026-03-31'),
      cycle: 'MONTHLY',
    });
    const fee = prorateFlatFee(d('100'), period, { from: day('2026-04-01'), to: day('2026-05-01') });
    expect(fee.amount.isZero()).toBe(true);
    expect(fee.full).toBe(false);
  });

  it('a range within a partial last period prorates against the full cycle', () => {
    const [, last] = billingPeriods({
      startDate: day('2026-01-01'),
      endDate: day('2026-02-14'),
      cycle: 'MONTHLY',
    });
    const fee = prorateFlatFee(d('280'), last, { from: day('2026-02-08'), to: day('2026-03-01') });
    expect([fee.coveredDays, fee.periodDays]).toEqual([7, 28]);
    expect(fee.amount.toFixed()).toBe('70');
  });
});
