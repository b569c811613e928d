import {
  addDays,
  addMonthsClamped,
  billingPeriods,
  contractEndExclusive,
  cycleMonths,
  daysBetween,
  daysInFullPeriod,
  daysInMonth,
  daysInPeriod,
  dueDate,
  formatCalendarDate,
  isPartialPeriod,
  nextPeriod,
  parseCalendarDate,
  periodAt,
  periodContaining,
  startOfUtcDay,
  type BillingPeriod,
  type PeriodSchedule,
} from '../../src/domain/periods';

const day = (text: string) => parseCalendarDate(text);
const at = (iso: string) => new Date(iso);

/** Periods as `[start, end)` date strings, plus `~nominalEnd` when partial: easy to read in assertions. */
function show(periods: BillingPeriod[]): string[] {
  return periods.map(
    (p) =>
      `${formatCalendarDate(p.start)}..${formatCalendarDate(p.end)}` +
      (isPartialPeriod(p) ? `~${formatCalendarDate(p.nominalEnd)}` : ''),
  );
}

describe('calendar helpers', () => {
  it('parses and formats calendar dates at UTC midnight', () => {
    expect(day('2026-01-31').toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(day('2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(formatCalendarDate(at('2026-03-05T23:59:59Z'))).toBe('2026-03-05');
  });

  it('rejects impossible or malformed dates', () => {
    expect(() => day('2026-02-29')).toThrow();
    expect(() => day('2026-13-01')).toThrow();
    expect(() => day('2026-04-31')).toThrow();
    expect(() => day('2026-00-10')).toThrow();
    expect(() => day('2026-1-1')).toThrow();
    expect(() => day('2026-01-01T00:00:00Z')).toThrow();
  });

  it('knows the days of each month, leap years included', () => {
    expect(daysInMonth(2026, 1)).toBe(28);
    expect(daysInMonth(2024, 1)).toBe(29);
    expect(daysInMonth(2000, 1)).toBe(29);
    expect(daysInMonth(1900, 1)).toBe(28);
    expect(daysInMonth(2026, 3)).toBe(30);
    expect(daysInMonth(2026, 11)).toBe(31);
  });

  it('truncates to the UTC day and counts whole days', () => {
    expect(startOfUtcDay(at('2026-05-10T17:45:12.345Z')).toISOString()).toBe('2026-05-10T00:00:00.000Z');
    expect(daysBetween(day('2026-01-01'), day('2027-01-01'))).toBe(365);
    expect(daysBetween(day('2024-01-01'), day('2025-01-01'))).toBe(366);
    expect(daysBetween(day('2026-03-10'), day('2026-03-01'))).toBe(-9);
    expect(daysBetween(at('2026-03-01T23:00:00Z'), at('2026-03-02T01:00:00Z'))).toBe(1);
    expect(addDays(day('2026-12-31'), 1).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('maps cycles to months', () => {
    expect(cycleMonths('MONTHLY')).toBe(1);
    expect(cycleMonths('QUARTERLY')).toBe(3);
    expect(cycleMonths('ANNUAL')).toBe(12);
    expect(cycleMonths('SEMIANNUAL')).toBe(6);
    expect(cycleMonths('WEEKLY')).toBe(0); // a week is no whole month
    expect(() => cycleMonths('BIWEEKLY' as never)).toThrow(/Unknown billing cycle/);
  });
});

describe('addMonthsClamped', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-29', 1, '2026-02-28'],
    ['2024-01-29', 1, '2024-02-29'],
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-31', -2, '2025-11-30'],
    ['2026-05-31', 0, '2026-05-31'],
    ['2026-08-31', 18, '2028-02-29'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(formatCalendarDate(addMonthsClamped(day(from), months))).toBe(expected);
  });

  it('keeps the time of day and does not mutate its input', () => {
    const input = at('2026-01-31T10:20:30.400Z');
    expect(addMonthsClamped(input, 1).toISOString()).toBe('2026-02-28T10:20:30.400Z');
    expect(input.toISOString()).toBe('2026-01-31T10:20:30.400Z');
  });

  it('rejects fractional months', () => {
    expect(() => addMonthsClamped(day('2026-01-01'), 1.5)).toThrow();
  });
});

describe('contract end dates are inclusive days', () => {
  it('converts the inclusive end date to the exclusive instant after it', () => {
    expect(contractEndExclusive(day('2026-12-31'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(contractEndExclusive(at('2026-12-31T23:59:59Z'))?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(contractEndExclusive(null)).toBeNull();
  });

  it('a Jan 1 – Dec 31 contract covers Dec 31 in 12 full monthly periods', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-01'),
      endDate: day('2026-12-31'),
      cycle: 'MONTHLY',
    });
    expect(periods).toHaveLength(12);
    expect(show(periods)[11]).toBe('2026-12-01..2027-01-01');
    expect(periods.every((p) => !isPartialPeriod(p))).toBe(true);
    expect(periods.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('a one-day contract has one period of one day', () => {
    const periods = billingPeriods({
      startDate: day('2026-03-10'),
      endDate: day('2026-03-10'),
      cycle: 'MONTHLY',
    });
    expect(show(periods)).toEqual(['2026-03-10..2026-03-11~2026-04-10']);
    expect(daysInPeriod(periods[0])).toBe(1);
    expect(daysInFullPeriod(periods[0])).toBe(31);
  });

  it('rejects an end date before the start date', () => {
    expect(() =>
      billingPeriods({ startDate: day('2026-03-10'), endDate: day('2026-03-09'), cycle: 'MONTHLY' }),
    ).toThrow(/endDate is before startDate/);
  });

  it('ignores the time of day on contract dates', () => {
    const periods = billingPeriods({
      startDate: at('2026-01-15T13:00:00Z'),
      endDate: at('2026-02-14T08:00:00Z'),
      cycle: 'MONTHLY',
    });
    expect(show(periods)).toEqual(['2026-01-15..2026-02-15']);
  });
});

describe('billingPeriods', () => {
  it('monthly from the 15th, three full months', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-15'),
      endDate: day('2026-04-14'),
      cycle: 'MONTHLY',
    });
    expect(show(periods)).toEqual([
      '2026-01-15..2026-02-15',
      '2026-02-15..2026-03-15',
      '2026-03-15..2026-04-15',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([31, 28, 31]);
  });

  it('monthly from the 31st bills to the last day of shorter months and returns to the 31st', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-31'),
      endDate: null,
      cycle: 'MONTHLY',
      until: day('2026-09-01'),
    });
    expect(show(periods)).toEqual([
      '2026-01-31..2026-02-28',
      '2026-02-28..2026-03-31',
      '2026-03-31..2026-04-30',
      '2026-04-30..2026-05-31',
      '2026-05-31..2026-06-30',
      '2026-06-30..2026-07-31',
      '2026-07-31..2026-08-31',
      '2026-08-31..2026-09-30',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([28, 31, 30, 31, 30, 31, 31, 30]);
  });

  it('monthly from Jan 31 in a leap year goes through Feb 29', () => {
    const periods = billingPeriods({
      startDate: day('2024-01-31'),
      endDate: day('2024-04-29'),
      cycle: 'MONTHLY',
    });
    expect(show(periods)).toEqual([
      '2024-01-31..2024-02-29',
      '2024-02-29..2024-03-31',
      '2024-03-31..2024-04-30',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([29, 31, 30]);
  });

  it('monthly from the 30th comes back to the 30th after February', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-30'),
      endDate: null,
      cycle: 'MONTHLY',
      until: day('2026-04-01'),
    });
    expect(show(periods)).toEqual([
      '2026-01-30..2026-02-28',
      '2026-02-28..2026-03-30',
      '2026-03-30..2026-04-30',
    ]);
  });

  it('monthly periods continue across the year end', () => {
    const periods = billingPeriods({
      startDate: day('2026-11-30'),
      endDate: day('2027-02-27'),
      cycle: 'MONTHLY',
    });
    expect(show(periods)).toEqual([
      '2026-11-30..2026-12-30',
      '2026-12-30..2027-01-30',
      '2027-01-30..2027-02-28',
    ]);
  });

  it('quarterly from Jan 1 for a year', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-01'),
      endDate: day('2026-12-31'),
      cycle: 'QUARTERLY',
    });
    expect(show(periods)).toEqual([
      '2026-01-01..2026-04-01',
      '2026-04-01..2026-07-01',
      '2026-07-01..2026-10-01',
      '2026-10-01..2027-01-01',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([90, 91, 92, 92]);
  });

  it('quarterly from the 31st, net-45 contract ending mid-quarter: a partial last period', () => {
    const schedule: PeriodSchedule = {
      startDate: day('2026-01-31'),
      endDate: day('2026-08-15'),
      cycle: 'QUARTERLY',
    };
    const periods = billingPeriods(schedule);
    expect(show(periods)).toEqual([
      '2026-01-31..2026-04-30',
      '2026-04-30..2026-07-31',
      '2026-07-31..2026-08-16~2026-10-31',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([89, 92, 16]);
    expect(periods.map(daysInFullPeriod)).toEqual([89, 92, 92]);
    expect(periods.map(isPartialPeriod)).toEqual([false, false, true]);
    // Invoices are issued after the period plus a 24 h grace; net 45 from issue.
    const due = periods.map((p) => formatCalendarDate(dueDate(addDays(p.end, 1), 45)));
    expect(due).toEqual(['2026-06-15', '2026-09-15', '2026-10-01']);
  });

  it('quarterly from Nov 30 clamps to Feb 28 and returns to the 30th', () => {
    const periods = billingPeriods({
      startDate: day('2025-11-30'),
      endDate: null,
      cycle: 'QUARTERLY',
      until: day('2026-09-01'),
    });
    expect(show(periods)).toEqual([
      '2025-11-30..2026-02-28',
      '2026-02-28..2026-05-30',
      '2026-05-30..2026-08-30',
      '2026-08-30..2026-11-30',
    ]);
  });

  it('annual from Feb 29 bills to Feb 28 in common years and back to Feb 29 in leap years', () => {
    const periods = billingPeriods({
      startDate: day('2024-02-29'),
      endDate: day('2028-02-28'),
      cycle: 'ANNUAL',
    });
    expect(show(periods)).toEqual([
      '2024-02-29..2025-02-28',
      '2025-02-28..2026-02-28',
      '2026-02-28..2027-02-28',
      '2027-02-28..2028-02-29',
    ]);
    expect(periods.map(daysInPeriod)).toEqual([365, 365, 365, 366]);
  });

  it('annual contract ending mid-year', () => {
    const periods = billingPeriods({
      startDate: day('2026-03-01'),
      endDate: day('2027-06-30'),
      cycle: 'ANNUAL',
    });
    expect(show(periods)).toEqual(['2026-03-01..2027-03-01', '2027-03-01..2027-07-01~2028-03-01']);
    expect(daysInPeriod(periods[1])).toBe(122);
    expect(daysInFullPeriod(periods[1])).toBe(366);
  });

  it('the seed contract Nov 01, 2024 – Oct 31, 2026, monthly: 24 full periods', () => {
    const periods = billingPeriods({
      startDate: day('2024-11-01'),
      endDate: day('2026-10-31'),
      cycle: 'MONTHLY',
    });
    expect(periods).toHaveLength(24);
    expect(show(periods)[0]).toBe('2024-11-01..2024-12-01');
    expect(show(periods)[23]).toBe('2026-10-01..2026-11-01');
    expect(periods.some(isPartialPeriod)).toBe(false);
  });

  it('a contract ending exactly on a period boundary has no empty trailing period', () => {
    const periods = billingPeriods({
      startDate: day('2026-01-31'),
      endDate: day('2026-04-29'),
      cycle: 'QUARTERLY',
    });
    expect(show(periods)).toEqual(['2026-01-31..2026-04-30']);
  });

  it('periods are contiguous and never empty', () => {
    for (const cycle of ['MONTHLY', 'QUARTERLY', 'ANNUAL'] as const) {
      for (const start of ['2023-12-31', '2024-01-29', '2024-02-29', '2025-08-31', '2026-05-01']) {
        const periods = billingPeriods({
          startDate: day(start),
          endDate: null,
          cycle,
          until: day('2031-01-01'),
        });
        expect(periods[0].start.getTime()).toBe(day(start).getTime());
        for (let i = 1; i < periods.length; i++) expect(periods[i].start).toEqual(periods[i - 1].end);
        expect(periods.every((p) => daysInPeriod(p) >= 28)).toBe(true);
      }
    }
  });

  it('evergreen: every period that starts before `until`', () => {
    const schedule = { startDate: day('2026-01-10'), endDate: null, cycle: 'MONTHLY' as const };
    expect(show(billingPeriods({ ...schedule, until: day('2026-03-10') }))).toEqual([
      '2026-01-10..2026-02-10',
      '2026-02-10..2026-03-10',
    ]);
    expect(show(billingPeriods({ ...schedule, until: at('2026-03-10T00:00:00.001Z') }))).toHaveLength(3);
    expect(billingPeriods({ ...schedule, until: day('2026-01-10') })).toEqual([]);
    expect(billingPeriods({ ...schedule, until: day('2025-01-01') })).toEqual([]);
  });

  it('evergreen without `until` is refused; fixed term with `until` applies both limits', () => {
    expect(() => billingPeriods({ startDate: day('2026-01-10'), endDate: null, cycle: 'MONTHLY' })).toThrow(
      /until/,
    );
    const periods = billingPeriods({
      startDate: day('2026-01-01'),
      endDate: day('2026-12-31'),
      cycle: 'MONTHLY',
      until: day('2026-03-15'),
    });
    expect(periods).toHaveLength(3);
  });

  it('refuses to produce an unbounded number of periods', () => {
    expect(() =>
      billingPeriods({
        startDate: day('2026-01-01'),
        endDate: null,
        cycle: 'MONTHLY',
        until: day('3000-01-01'),
      }),
    ).toThrow(/More than/);
  });
});

describe('periodAt, nextPeriod and periodContaining', () => {
  const quarterly: PeriodSchedule = {
    startDate: day('2026-01-31'),
    endDate: day('2026-08-15'),
    cycle: 'QUARTERLY',
  };
  const evergreen: PeriodSchedule = { startDate: day('2026-01-31'), endDate: null, cycle: 'MONTHLY' };

  it('periodAt builds any period directly', () => {
    expect(show([periodAt(evergreen, 13)!])).toEqual(['2027-02-28..2027-03-31']);
    expect(periodAt(quarterly, 3)).toBeNull();
    expect(periodAt(quarterly, -1)).toBeNull();
  });

  it('nextPeriod walks forward and stops at the contract end', () => {
    const first = periodAt(quarterly, 0)!;
    const second = nextPeriod(quarterly, first)!;
    const third = nextPeriod(quarterly, second)!;
    expect(show([second, third])).toEqual(['2026-04-30..2026-07-31', '2026-07-31..2026-08-16~2026-10-31']);
    expect(nextPeriod(quarterly, third)).toBeNull();
  });

  it.each([
    ['2026-01-31T00:00:00.000Z', 0],
    ['2026-04-29T23:59:59.999Z', 0],
    ['2026-04-30T00:00:00.000Z', 1],
    ['2026-07-30T12:00:00.000Z', 1],
    ['2026-07-31T00:00:00.000Z', 2],
    ['2026-08-15T23:59:59.999Z', 2],
  ])('quarterly: %s is in period %i', (instant, index) => {
    expect(periodContaining(quarterly, at(instant))?.index).toBe(index);
  });

  it('is null before the start and from the exclusive end on', () => {
    expect(periodContaining(quarterly, at('2026-01-30T23:59:59.999Z'))).toBeNull();
    expect(periodContaining(quarterly, at('2026-08-16T00:00:00.000Z'))).toBeNull();
  });

  it('returns the partial last period with its nominal end', () => {
    const period = periodContaining(quarterly, at('2026-08-01T00:00:00Z'))!;
    expect(show([period])).toEqual(['2026-07-31..2026-08-16~2026-10-31']);
  });

  it('agrees with billingPeriods for every day over several years', () => {
    for (const cycle of ['MONTHLY', 'QUARTERLY', 'ANNUAL'] as const) {
      for (const start of ['2024-01-31', '2024-02-29', '2025-03-30', '2025-12-31']) {
        const schedule: PeriodSchedule = { startDate: day(start), endDate: null, cycle };
        const periods = billingPeriods({ ...schedule, until: day('2029-01-01') });
        for (const period of periods) {
          for (let t = period.start.getTime(); t < period.end.getTime(); t += 86_400_000 / 2) {
            expect(periodContaining(schedule, new Date(t))?.index).toBe(period.index);
          }
        }
      }
    }
  });
});

describe('dueDate', () => {
  it('adds payment terms in days, keeping the time', () => {
    expect(dueDate(at('2026-05-01T10:00:00Z'), 30).toISOString()).toBe('2026-05-31T10:00:00.000Z');
    expect(dueDate(at('2026-12-20T00:00:00Z'), 45).toISOString()).toBe('2027-02-03T00:00:00.000Z');
    expect(dueDate(at('2026-05-01T10:00:00Z'), 0).toISOString()).toBe('2026-05-01T10:00:00.000Z');
  });

  it('rejects negative or fractional terms', () => {
    expect(() => dueDate(at('2026-05-01T00:00:00Z'), -1)).toThrow();
    expect(() => dueDate(at('2026-05-01T00:00:00Z'), 1.5)).toThrow();
  });
});
