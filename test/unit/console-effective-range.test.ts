import { formatEffectiveRange } from '../../src/console/src/format';

describe('console: a rate-card entry’s effective range', () => {
  it('shows an entry created without a start date (stored from the epoch) as always in effect', () => {
    expect(formatEffectiveRange('1970-01-01T00:00:00.000Z', null)).toBe('Always');
    expect(formatEffectiveRange('1970-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toBe(
      'Until Jan 01, 2027',
    );
  });

  it('shows a real start date, with the end when there is one', () => {
    expect(formatEffectiveRange('2026-11-01T00:00:00.000Z', null)).toBe('From Nov 01, 2026');
    expect(formatEffectiveRange('2026-11-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z')).toBe(
      'Nov 01, 2026 – Feb 01, 2027',
    );
  });
});
