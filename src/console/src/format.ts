/**
 * Display formatting. Amounts arrive as decimal strings and are formatted as strings (no floats),
 * so what the console shows is exactly what the API computed.
 */
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };
/**
 * The API already writes money with its currency's minor digits; this table must agree with the server's
 * (a 3-digit currency rounded to 2 here would show a different amount than the API returned).
 */
const MINOR_DIGITS: Record<string, number> = {
  JPY: 0,
  KRW: 0,
  CLP: 0,
  VND: 0,
  ISK: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounds a non-negative fixed-point string half up to `digits` decimals, as a string. */
function roundFixed(text: string, digits: number): string {
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length <= digits) {
    return digits ? `${whole}.${fraction.padEnd(digits, '0')}` : whole;
  }
  const kept = `${whole}${fraction.slice(0, digits)}`;
  const roundUp = Number(fraction[digits]) >= 5;
  let digitsOut = kept;
  if (roundUp) {
    const chars = kept.split('');
    let i = chars.length - 1;
    while (i >= 0) {
      if (chars[i] === '9') {
        chars[i] = '0';
        i--;
      } else {
        chars[i] = String(Number(chars[i]) + 1);
        break;
      }
    }
    digitsOut = (i < 0 ? '1' : '') + chars.join('');
  }
  if (!digits) return digitsOut;
  return `${digitsOut.slice(0, -digits) || '0'}.${digitsOut.slice(-digits)}`;
}

function splitSign(value: string): [string, string] {
  const text = value.trim();
  if (text.startsWith('-')) return ['-', text.slice(1)];
  return ['', text.replace(/^\+/, '')];
}

function decorate(sign: string, fixed: string, currency: string): string {
  const [whole, fraction] = fixed.split('.');
  const body = `${groupThousands(whole)}${fraction !== undefined ? `.${fraction}` : ''}`;
  const isZero = /^[0.,]*$/.test(body);
  const s = isZero ? '' : sign;
  if (!currency) return `${s}${body}`;
  const symbol = SYMBOLS[currency];
  return symbol ? `${s}${symbol}${body}` : `${s}${body} ${currency}`;
}

/** "$1,234.50" from "1234.5". */
export function formatMoney(amount: string | number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const [sign, digits] = splitSign(String(amount));
  return decorate(sign, roundFixed(digits, minorDigits(currency)), currency);
}

/** Integer minor units (cents) to money: 1000000 → "$10,000.00". */
export function formatCents(cents: string | number | null | undefined, currency: string): string {
  if (cents === null || cents === undefined || cents === '') return '—';
  const [sign, digits] = splitSign(String(cents));
  const d = minorDigits(currency);
  const padded = digits.padStart(d + 1, '0');
  const fixed = d ? `${padded.slice(0, -d)}.${padded.slice(-d)}` : padded;
  return decorate(sign, fixed, currency);
}

/** A rate keeps all its digits ($0.000002) but shows at least the currency's minor digits. */
export function formatRate(
  rate: string | null | undefined,
  currency: string,
  unitSize?: string | null,
): string {
  if (rate === null || rate === undefined) return '—';
  const [sign, digits] = splitSign(rate);
  const [whole, fraction = ''] = digits.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const fixed = `${whole}.${trimmed.padEnd(minorDigits(currency), '0')}`.replace(/\.$/, '');
  const text = decorate(sign, fixed, currency);
  if (!unitSize || Number(unitSize) === 1) return text;
  return `${text} / ${formatQuantity(unitSize)}`;
}

/** "1234567.500000000" → "1,234,567.5". */
export function formatQuantity(quantity: string | null | undefined): string {
  if (quantity === null || quantity === undefined) return '—';
  const [sign, digits] = splitSign(quantity);
  const [whole, fraction = ''] = digits.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${sign}${groupThousands(whole)}${trimmed ? `.${trimmed}` : ''}`;
}

const DATE = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  timeZone: 'UTC',
});
const DATE_TIME = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${DATE_TIME.format(date)} UTC`;
}

/**
 * A rate-card entry's [effectiveFrom, effectiveTo) for people: an entry created without a start date is
 * stored as effective from the Unix epoch, which means "always", not "since Jan 01, 1970".
 */
export function formatEffectiveRange(from: string | null | undefined, to: string | null | undefined): string {
  const fromTime = from ? new Date(from).getTime() : Number.NaN;
  const sinceAlways = !from || fromTime <= 0;
  if (sinceAlways) return to ? `Until ${formatDate(to)}` : 'Always';
  return to ? `${formatDate(from)} – ${formatDate(to)}` : `From ${formatDate(from)}`;
}

/** Periods are [start, end): shown as the first and the last day covered. */
export function formatPeriod(
  start: string | null | undefined,
  endExclusive: string | null | undefined,
): string {
  if (!start) return '—';
  if (!endExclusive) return `${formatDate(start)} – open-ended`;
  const last = new Date(Math.max(new Date(start).getTime(), new Date(endExclusive).getTime() - 1));
  return `${formatDate(start)} – ${formatDate(last.toISOString())}`;
}

/**
 * A contract's term: `endDate` is already the last day covered (inclusive, unlike an invoice's exclusive
 * `periodEnd`), so it is shown as is; no end date is an evergreen contract.
 */
export function formatTerm(
  start: string | null | undefined,
  endInclusive: string | null | undefined,
): string {
  if (!start) return '—';
  return `${formatDate(start)} – ${endInclusive ? formatDate(endInclusive) : 'evergreen (until cancelled)'}`;
}

/** {"region":"US","call_outcome":"resolved"} → "US / resolved" in the meter's group-key order. */
export function dimensionsLabel(
  dimensions: Record<string, string> | null | undefined,
  order?: string[],
): string {
  if (!dimensions) return '';
  const keys = Object.keys(dimensions);
  if (keys.length === 0) return 'All (catch-all)';
  const sorted = order
    ? [...order.filter((k) => k in dimensions), ...keys.filter((k) => !order.includes(k))]
    : keys;
  return sorted.map((k) => dimensions[k]).join(' / ');
}

export function humanize(code: string | null | undefined): string {
  if (!code) return '—';
  const text = code.toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "10,000.5" → "1000050" (cents as an integer string); null when it is not an amount. */
export function parseAmountToCents(text: string, currency = 'USD'): string | null {
  const clean = text.replace(/[,\s$€£]/g, '');
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const cents = `${match[1]}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  return cents;
}

/** Cents to an editable amount: "1000050" → "10000.50". */
export function centsToAmountInput(cents: string | number | null | undefined, currency = 'USD'): string {
  if (cents === null || cents === undefined || cents === '') return '';
  const digits = minorDigits(currency);
  const padded = String(cents).padStart(digits + 1, '0');
  return digits ? `${padded.slice(0, -digits)}.${padded.slice(-digits)}` : padded;
}

/** ISO instant → "2024-11-01" (UTC) for a date input. */
export function isoToDateInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** "2024-11-01" → "2024-11-01T00:00:00.000Z"; empty → null. */
export function dateInputToIso(value: string): string | null {
  return value ? `${value}T00:00:00.000Z` : null;
}

/** Exclusive end instant ↔ the last day covered, as people enter contract periods. */
export function exclusiveEndToLastDay(iso: string | null | undefined): string {
  if (!iso) return '';
  return isoToDateInput(new Date(new Date(iso).getTime() - 86_400_000).toISOString());
}

export function lastDayToExclusiveEnd(value: string): string | null {
  if (!value) return null;
  return new Date(new Date(`${value}T00:00:00.000Z`).getTime() + 86_400_000).toISOString();
}
