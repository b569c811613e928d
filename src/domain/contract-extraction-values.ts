/**
 * Values as agreements write them: dates in every common form, money amounts with their currency, and
 * numbers in words ("forty-five (45)").
 */
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';

export interface FoundDate {
  iso: string;
  index: number;
  text: string;
}

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1990 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

const monthNumber = (name: string) =>
  MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;

/**
 * Every date in a text, in order. Numeric dates with slashes are month first (US) unless the first part
 * cannot be a month or `dayFirst` says the document writes day first; dotted dates are day first.
 */
export function findDates(text: string, dayFirst = false): FoundDate[] {
  const found: FoundDate[] = [];
  const add = (index: number, raw: string, value: string | null) => {
    if (value && !found.some((f) => index >= f.index && index < f.index + f.text.length))
      found.push({ iso: value, index, text: raw });
  };
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string | null]> = [
    [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => iso(+m[1], +m[2], +m[3])],
    [new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+(\\d{4})\\b`, 'gi'), (m) => iso(+m[3], monthNumber(m[1]), +m[2])],
    [
      new RegExp(`\\b${DAY}(?:\\s+day\\s+of)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'gi'),
      (m) => iso(+m[3], monthNumber(m[2]), +m[1]),
    ],
    [/\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/g, (m) => iso(+m[3], +m[2], +m[1])],
    [
      /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g,
      (m) => {
        const [a, b] = [+m[1], +m[2]];
        const first = a > 12 || (dayFirst && b <= 12);
        return first ? iso(+m[3], b, a) : iso(+m[3], a, b);
      },
    ],
  ];
  for (const [pattern, parse] of patterns) {
    for (const m of text.matchAll(pattern)) add(m.index!, m[0], parse(m as RegExpExecArray));
  }
  return found.sort((a, b) => a.index - b.index);
}

const SMALL: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** "forty-five" → 45, "thirty six" → 36, "12" → 12; null when it is not a number. */
export function numberWord(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  let total = 0;
  for (const part of t.split(/[-\s]+/)) {
    if (!(part in SMALL)) return null;
    total += SMALL[part];
  }
  return total || null;
}

/** A count written as figures, words, or "words (figures)": the figures win when both are given. */
export const COUNT = '(?:([a-z]+(?:[-\\s][a-z]+)?)\\s*\\((\\d+)\\)|(\\d+)|([a-z]+(?:-[a-z]+)?))';

export function countOf(m: RegExpMatchArray, offset: number): number | null {
  if (m[offset + 2]) return Number(m[offset + 2]);
  if (m[offset + 3]) return Number(m[offset + 3]);
  if (m[offset + 4]) return numberWord(m[offset + 4]);
  return null;
}

export interface FoundMoney {
  amount: string;
  currency: string | null;
  index: number;
  text: string;
}

const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };

/** Money amounts with a currency symbol or code: "$10,000.00", "€0.026", "USD 1,200", "1.000,00 EUR". */
export function findMoney(text: string): FoundMoney[] {
  const found: FoundMoney[] = [];
  const pattern =
    /(?:(US\$|[$€£])\s?|\b(USD|EUR|GBP|CAD|AUD)\s)(\d{1,3}(?:[,\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(\d{1,3}(?:[,.]\d{3})*(?:[.,]\d+)?)\s?(€|EUR|USD)\b/g;
  for (const m of text.matchAll(pattern)) {
    const symbol = m[1] ?? m[2] ?? m[5];
    const raw = m[3] ?? m[4];
    const currency = symbol === 'US$' ? 'USD' : (SYMBOLS[symbol] ?? symbol);
    // "1.000,50 €" writes decimals with a comma.
    const european = !m[3] && /,\d{1,2}$/.test(raw);
    const amount = european ? raw.replace(/\./g, '').replace(',', '.') : raw.replace(/[,\u00a0 ]/g, '');
    found.push({ amount, currency, index: m.index!, text: m[0] });
  }
  return found;
}

/** Fixed-point text with at least two decimals ("10000" → "10000.00"). */
export function moneyText(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
