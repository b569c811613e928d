import { inclusiveEndAfterMonths } from './contract-draft';
import { evidenceOf, labeledValues, type Unit } from './contract-extraction-layout';
import type { ContractExtraction, ExtractedValue } from './contract-extraction-types';
import { COUNT, countOf, findDates, findMoney } from './contract-extraction-values';

type Issues = ContractExtraction['issues'];

const START_LABEL =
  /\b(start|commencement|service|subscription|effective)\b.*\bdate\b|\bstart date\b|^start$/;
const NOT_START = /\b(document|signature|signed|order|quote|agreement|msa|letter|end|expir)\w*\b/;
const START_PROSE = new RegExp(
  '\\b(?:begins?|beginning|commences?|commencing|starts?|starting|start date (?:is|shall be|will be)|service start date is|subscription start date is)\\b(?:\\s+on)?[^.;]{0,40}?$',
  'i',
);
const RENEWAL = /\brenew|\bnon-renewal|\bafter the initial term|\bthereafter|\bsuccessive\b/i;
const DEFAULTING = /\bunless otherwise\b|\bexcept as otherwise\b|\blate\b|\binterest\b|\bnotice\b/i;

/** One candidate per place it was read; the last one read wins (later amendments, exhibits). */
function lastOf<T>(candidates: Array<ExtractedValue<T>>): ExtractedValue<T> | undefined {
  return candidates[candidates.length - 1];
}

/** Start and end of the initial term: labeled dates, a date range, "begins on …", or a term length. */
export function extractTerm(
  units: Unit[],
  dayFirst: boolean,
  issues: Issues,
): { start?: ExtractedValue<string>; end?: ExtractedValue<string | null> } {
  const starts: Array<ExtractedValue<string>> = [];
  const ends: Array<ExtractedValue<string | null>> = [];
  for (const lv of labeledValues(units)) {
    const dates = findDates(lv.value, dayFirst);
    if (!dates.length) continue;
    const range =
      dates.length === 2 &&
      /^\s*(?:-|–|—|to|through|thru|until)\s*$/i.test(
        lv.value.slice(dates[0].index + dates[0].text.length, dates[1].index),
      );
    const notTerm = /\b(document|signature|signed|order|quote|msa|letter|agreement)\s+date\b|^date$/;
    if (range && !notTerm.test(lv.label)) {
      starts.push({ value: dates[0].iso, evidence: evidenceOf(lv.unit, 0.9) });
      ends.push({ value: dates[1].iso, evidence: evidenceOf(lv.unit, 0.9) });
    } else if (
      /\b(contract|subscription|service|initial)? ?(period|term)\b/.test(lv.label) &&
      dates.length === 2
    ) {
      starts.push({ value: dates[0].iso, evidence: evidenceOf(lv.unit, 0.95) });
      ends.push({ value: dates[1].iso, evidence: evidenceOf(lv.unit, 0.95) });
    } else if (START_LABEL.test(lv.label) && !NOT_START.test(lv.label.replace(/\bstart\b.*$/, ''))) {
      if (!/\bend\b|expir/.test(lv.label))
        starts.push({ value: dates[0].iso, evidence: evidenceOf(lv.unit, 0.95) });
    }
    if (/\b(end|expiration|termination) date\b/.test(lv.label) && !/credit/.test(lv.label))
      ends.push({ value: dates[0].iso, evidence: evidenceOf(lv.unit, 0.95) });
  }
  const termMonths: Array<{ months: number; unit: Unit }> = [];
  let evergreen: Unit | null = null;
  for (const unit of units) {
    const text = unit.text;
    if (!starts.length || unit.kind === 'SENTENCE') {
      for (const date of findDates(text, dayFirst)) {
        if (START_PROSE.test(text.slice(Math.max(0, date.index - 60), date.index)))
          starts.push({ value: date.iso, evidence: evidenceOf(unit, 0.85) });
      }
    }
    // A renewal clause never sets the initial term: only what precedes it in a sentence is read.
    const beforeRenewal = text.split(RENEWAL)[0];
    const months = new RegExp(`\\b${COUNT}[-\\s]months?\\b`, 'gi');
    if (/\bterm\b|\bcontinues? for\b|\bperiod of\b/i.test(beforeRenewal)) {
      for (const m of beforeRenewal.matchAll(months)) {
        const n = countOf(m, 0);
        if (n && n > 0 && n <= 120) termMonths.push({ months: n, unit });
      }
      const years = new RegExp(`\\b${COUNT}[-\\s]years?\\b`, 'gi');
      for (const m of beforeRenewal.matchAll(years)) {
        const n = countOf(m, 0);
        if (n && n > 0 && n <= 10) termMonths.push({ months: n * 12, unit });
      }
    }
    if (
      /\b(rolling|evergreen|no fixed end|month-to-month (?:term|subscription|agreement)|until terminated by either)\b/i.test(
        beforeRenewal,
      )
    )
      evergreen ??= unit;
  }
  const start = lastOf(starts);
  const distinctStarts = new Set(starts.map((s) => s.value));
  if (distinctStarts.size > 1) {
    issues.push({
      field: 'contractStart',
      message: `Several start dates were read (${[...distinctStarts].join(', ')}); the last is proposed`,
    });
    if (start) start.evidence.confidence = 0.6;
  }
  let end = lastOf(ends);
  if (!end && start && termMonths.length) {
    const term = termMonths[0];
    end = { value: inclusiveEndAfterMonths(start.value, term.months), evidence: evidenceOf(term.unit, 0.85) };
  }
  if (!end && evergreen) end = { value: null, evidence: evidenceOf(evergreen, 0.85) };
  if (!start)
    issues.push({ field: 'contractStart', message: 'No start date of the term was found in the document' });
  if (!end)
    issues.push({
      field: 'contractEnd',
      message: 'no end date, term length or rolling term was found in the document',
    });
  return { start, end };
}

/** Payment terms in days: "Net 45", "within forty-five (45) days of the invoice date", "due upon receipt" = 0. */
export function extractPaymentTerms(units: Unit[], issues: Issues): ExtractedValue<number> | undefined {
  const labeled: Array<ExtractedValue<number>> = [];
  const prose: Array<ExtractedValue<number>> = [];
  const read = (text: string): number | null => {
    if (/\b(due|payable) (?:up)?on receipt\b|\bimmediately upon receipt\b/i.test(text)) return 0;
    const net = /\bnet[\s-]?(\d{1,3})\b/i.exec(text);
    if (net) return Number(net[1]);
    const within = new RegExp(`\\b(?:within|in)\\s+${COUNT}\\s+(?:calendar\\s+)?days\\b`, 'i').exec(text);
    if (within && /invoice/i.test(text)) return countOf(within, 0);
    const due = new RegExp(`\\bdue\\s+${COUNT}\\s+days\\b`, 'i').exec(text);
    if (due && /invoice/i.test(text)) return countOf(due, 0);
    return null;
  };
  for (const lv of labeledValues(units)) {
    if (!/payment terms?|terms of payment|^terms$/.test(lv.label)) continue;
    const days = read(lv.value);
    if (days !== null) labeled.push({ value: days, evidence: evidenceOf(lv.unit, 0.95) });
  }
  for (const unit of units) {
    if (
      unit.kind !== 'SENTENCE' ||
      DEFAULTING.test(unit.text) ||
      !/invoice|payment|payable|due/i.test(unit.text)
    )
      continue;
    const days = read(unit.text);
    if (days !== null && days <= 180) prose.push({ value: days, evidence: evidenceOf(unit, 0.85) });
  }
  const found = lastOf(labeled) ?? lastOf(prose);
  if (
    !found &&
    units.some(
      (u) => /\b(as set out in|per|under) the [\w\s]{0,30}plan\b/i.test(u.text) && /payment/i.test(u.text),
    )
  )
    issues.push({
      field: 'paymentTermsDays',
      message: 'The document says payment terms are those of the plan',
    });
  else if (!found)
    issues.push({ field: 'paymentTermsDays', message: 'No payment terms were found in the document' });
  return found;
}

const CYCLES: Array<[RegExp, 'MONTHLY' | 'QUARTERLY' | 'ANNUAL']> = [
  [/\bmonthly\b|\bper month\b|\bevery month\b/i, 'MONTHLY'],
  [/\bquarterly\b|\bper quarter\b|\bevery (?:three|3) months\b/i, 'QUARTERLY'],
  [/\bannual(?:ly)?\b|\byearly\b|\bper year\b|\bevery twelve\b/i, 'ANNUAL'],
];

/** How often the customer is invoiced: a labeled billing cycle, or "billed/invoiced monthly". */
export function extractBillingCycle(
  units: Unit[],
  issues: Issues,
): ExtractedValue<'MONTHLY' | 'QUARTERLY' | 'ANNUAL'> | undefined {
  const found: Array<ExtractedValue<'MONTHLY' | 'QUARTERLY' | 'ANNUAL'>> = [];
  const cycleOf = (text: string) => {
    const hits = CYCLES.filter(([pattern]) => pattern.test(text)).map(([, cycle]) => cycle);
    return hits.length === 1 ? hits[0] : null;
  };
  for (const lv of labeledValues(units)) {
    if (!/billing( cycle| frequency| period)?$|invoic(e|ing) (frequency|cycle)|^billing$/.test(lv.label))
      continue;
    const cycle = cycleOf(lv.value);
    if (cycle) found.push({ value: cycle, evidence: evidenceOf(lv.unit, 0.95) });
  }
  if (!found.length) {
    for (const unit of units) {
      const m =
        /\b(?:billed|invoiced|invoices? (?:are|will be) (?:issued|sent))\s+(monthly|quarterly|annually|yearly)\b/i.exec(
          unit.text,
        );
      if (m) found.push({ value: cycleOf(m[1])!, evidence: evidenceOf(unit, 0.85) });
    }
  }
  const value = lastOf(found);
  if (!value) {
    const fromPlan = units.some(
      (u) =>
        /\b(as set out in|per|under) the [\w\s]{0,30}plan\b/i.test(u.text) && /bill|invoic/i.test(u.text),
    );
    issues.push({
      field: 'billingCycle',
      message: fromPlan
        ? 'The document says the billing cycle is the plan’s'
        : 'No billing cycle was found in the document',
    });
  }
  return value;
}

const AUTO =
  /\bauthori[sz]\w* (?:\w+ ){0,3}(?:automatic|recurring|auto)[- ]?(?:charges?|debits?|payments?)|\bdirect debit\b|\bACH debit\b|\bcard on file\b|\bauto[- ]?pay\b|\bautomatically charged\b/i;
const MANUAL =
  /\bagainst invoice\b|\bwire transfer\b|\binitiated by (?:the )?customer\b|\bbank transfer\b|\bby check\b|\bACH credit\b/i;

/** Auto-pay only when the customer authorizes automatic charges; payment against invoice is false. */
export function extractAutoPay(units: Unit[]): ExtractedValue<boolean> | undefined {
  const auto = units.find(
    (u) => AUTO.test(u.text) && !/\boptional(?:ly)?\b|\bmay (?:elect|choose)\b/i.test(u.text),
  );
  if (auto) return { value: true, evidence: evidenceOf(auto, 0.85) };
  const manual = units.find((u) => MANUAL.test(u.text) || /\boptional(?:ly)?\b.*\bauto/i.test(u.text));
  if (manual) return { value: false, evidence: evidenceOf(manual, 0.8) };
  return undefined;
}

const CODES = /\b(USD|EUR|GBP|CAD|AUD|CHF)\b/i;

/** The contract currency: a labeled code, else the one currency every amount is written in. */
export function extractCurrency(units: Unit[], issues: Issues): ExtractedValue<string> | undefined {
  for (const lv of labeledValues(units)) {
    if (!/^currency$|billing currency|contract currency/.test(lv.label)) continue;
    const code = CODES.exec(lv.value)?.[1];
    if (code) return { value: code.toUpperCase(), evidence: evidenceOf(lv.unit, 0.95) };
  }
  const seen = new Map<string, Unit>();
  for (const unit of units) {
    for (const money of findMoney(unit.text))
      if (money.currency && !seen.has(money.currency)) seen.set(money.currency, unit);
    if (/\bU\.?S\.? dollars\b/i.test(unit.text) && !seen.has('USD')) seen.set('USD', unit);
    if (/\beuros?\b/i.test(unit.text) && !seen.has('EUR')) seen.set('EUR', unit);
  }
  if (seen.size === 1) {
    const [[code, unit]] = [...seen];
    return { value: code, evidence: evidenceOf(unit, 0.8) };
  }
  issues.push({
    field: 'currency',
    message: seen.size
      ? `Amounts in several currencies (${[...seen.keys()].join(', ')})`
      : 'No currency found',
  });
  return undefined;
}
