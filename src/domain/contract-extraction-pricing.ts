import { inclusiveEndAfterMonths } from './contract-draft';
import { evidenceOf, labeledValues, type Unit } from './contract-extraction-layout';
import type {
  CatalogUsagePricing,
  ContractExtraction,
  ExtractedCredit,
  ExtractedPromotionalCredit,
  ExtractedRate,
  ExtractedValue,
  ExtractionCatalog,
} from './contract-extraction-types';
import { COUNT, countOf, findDates, findMoney, moneyText } from './contract-extraction-values';
import { Decimal } from './money';

type Issues = ContractExtraction['issues'];

/** I, l, 1 and | (and O, 0) look alike to OCR; longer names are compared with them folded together. */
const fold = (text: string) => text.replace(/[Il1|]/g, 'l').replace(/[O0]/g, 'o');

/** Where a plan name occurs in a text, whole words only; short names must match their case exactly. */
function mentions(text: string, name: string): boolean {
  const long = name.length > 4;
  const escaped = (long ? fold(name) : name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, long ? 'i' : '').test(long ? fold(text) : text);
}

/**
 * The catalog plan the agreement is for: the plan named in a plan label or a sentence about the plan or
 * subscription; loosely written names are matched on their words. Two different plans → left to ops.
 */
export function extractPlan(
  units: Unit[],
  catalog: ExtractionCatalog,
  meterCodes: Set<string>,
  issues: Issues,
): ExtractedValue<{ planId: string; name: string }> | undefined {
  const hits = new Map<string, { score: number; unit: Unit }>();
  const hit = (planId: string, score: number, unit: Unit) => {
    const before = hits.get(planId);
    if (!before || before.score < score) hits.set(planId, { score, unit });
  };
  const planLabels = labeledValues(units).filter((lv) =>
    /\b(plan|tier|package|edition|subscription)\b/.test(lv.label),
  );
  for (const plan of catalog.plans) {
    for (const lv of planLabels) if (mentions(lv.value, plan.name)) hit(plan.planId, 0.95, lv.unit);
    for (const unit of units)
      if (mentions(unit.text, plan.name))
        hit(plan.planId, /\b(plan|tier|subscri\w+|edition)\b/i.test(unit.text) ? 0.85 : 0.6, unit);
  }
  let ranked = [...hits.entries()].sort((a, b) => b[1].score - a[1].score);
  if (ranked.length > 1 && ranked[0][1].score === ranked[1][1].score) {
    // Tie: the plan whose pricings meter what the agreement prices.
    const usage = ranked.filter(([planId]) => {
      const plan = catalog.plans.find((p) => p.planId === planId)!;
      return catalog.usagePricings.some(
        (u) => plan.pricingIds.includes(u.pricingId) && meterCodes.has(u.meterCode),
      );
    });
    if (usage.length === 1) ranked = usage;
  }
  const top = ranked[0];
  if (!top || (ranked.length > 1 && ranked[1][1].score === top[1].score)) {
    issues.push({
      field: 'plan',
      message: top
        ? `Several plans are named (${ranked.map(([id]) => catalog.plans.find((p) => p.planId === id)!.name).join(', ')})`
        : 'No catalog plan is named in the document',
    });
    return undefined;
  }
  const plan = catalog.plans.find((p) => p.planId === top[0])!;
  return { value: { planId: plan.planId, name: plan.name }, evidence: evidenceOf(top[1].unit, top[1].score) };
}

/** Catalog dimension values written in a text: "US", "escalated", "gpt-4" (also "GPT-4", "Claude 3"). */
function dimensionsIn(text: string, pricing: CatalogUsagePricing): Record<string, string> | null {
  const found: Record<string, string> = {};
  for (const [key, values] of Object.entries(pricing.dimensionValues)) {
    const matches = values.filter((value) => {
      const pattern = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[-_\s]+/g, '[-_\\s]?');
      return new RegExp(`(?<![\\w.-])${pattern}(?![\\w-]|\\.\\d)`, value.length <= 3 ? '' : 'i').test(text);
    });
    if (matches.length === 1) found[key] = matches[0];
    else if (matches.length > 1) return null;
  }
  return Object.keys(found).length ? found : null;
}

function catalogRate(pricing: CatalogUsagePricing, dimensions: Record<string, string>): string[] {
  const covered = pricing.rates.filter((r) =>
    Object.entries(dimensions).every(([k, v]) => r.dimensions[k] === v),
  );
  return covered.length ? covered.map((r) => r.rate) : pricing.fallbackRate ? [pricing.fallbackRate] : [];
}

const LIST_WORDS = /\b(list|standard|rack|catalog(?:ue)?|published|regular|normal)\b/i;
const NEGOTIATED_WORDS =
  /\b(negotiated|contract(?:ed)?|discounted|agreed|your|customer|special|custom|net)\b/i;
const EXAMPLE = /\b(example|e\.g\.|for instance|illustrat\w*|sample)\b/i;

/**
 * Negotiated rates: table rows or clauses that name catalog dimension values of one usage pricing and a
 * price. In a table with a list-price column beside the negotiated one, the negotiated column is read; a
 * rate equal to the catalog's is no override; a later statement of the same rate replaces an earlier one.
 */
export function extractRates(
  units: Unit[],
  catalog: ExtractionCatalog,
  issues: Issues,
): Array<ExtractedValue<ExtractedRate>> {
  const byKey = new Map<string, ExtractedValue<ExtractedRate>>();
  let header: { negotiatedX: number | null; listX: number | null; page: number } | null = null;
  for (const unit of units) {
    if (unit.kind === 'ROW' && !findMoney(unit.text).length && /\b(rate|price|per)\b/i.test(unit.text)) {
      const negotiated = unit.cells.find((c) => NEGOTIATED_WORDS.test(c.text) && !LIST_WORDS.test(c.text));
      const list = unit.cells.find((c) => LIST_WORDS.test(c.text));
      header = {
        negotiatedX: negotiated ? negotiated.x : null,
        listX: list ? list.x : null,
        page: unit.page,
      };
      continue;
    }
    // "standard rates apply, except that X is charged at …": the exception is a clause of its own.
    const clauses =
      unit.kind === 'ROW'
        ? [unit.text]
        : unit.text.split(/;|,\s+and\s+|\band\s+(?=[A-Z])|\bexcept(?:\s+that|\s+for)?\b/);
    for (const clause of clauses) {
      if (EXAMPLE.test(clause)) continue;
      const prices = findMoney(clause);
      if (!prices.length) continue;
      for (const pricing of catalog.usagePricings) {
        const dims = dimensionsIn(clause, pricing);
        if (!dims) continue;
        let price = prices[0];
        if (prices.length > 1) {
          const pick =
            unit.kind === 'ROW' && header?.negotiatedX !== null && header?.page === unit.page
              ? priceInColumn(unit, header.negotiatedX!)
              : null;
          const listed = catalogRate(pricing, dims);
          const differing = prices.filter((p) => !listed.some((r) => new Decimal(r).eq(p.amount)));
          if (pick) price = pick;
          else if (differing.length === 1) price = differing[0];
          else {
            issues.push({
              field: 'rates',
              message: `Several prices for ${pricing.meterCode} ${JSON.stringify(dims)}: "${clause.slice(0, 120)}"`,
            });
            continue;
          }
        } else if (LIST_WORDS.test(clause) && !NEGOTIATED_WORDS.test(clause)) {
          continue;
        }
        if (
          unit.kind === 'ROW' &&
          header?.listX !== null &&
          header?.page === unit.page &&
          header?.negotiatedX === null
        ) {
          continue;
        }
        const amount = new Decimal(price.amount);
        const listed = catalogRate(pricing, dims);
        const rate: ExtractedRate = {
          pricingId: pricing.pricingId,
          meterCode: pricing.meterCode,
          dimensions: dims,
          rate: amount.toFixed(),
          catalogRate: listed.length === 1 ? listed[0] : null,
        };
        const key = `${pricing.pricingId}:${JSON.stringify(Object.entries(dims).sort())}`;
        if (listed.length && listed.every((r) => amount.eq(r))) {
          byKey.delete(key);
          continue;
        }
        byKey.delete(key);
        byKey.set(key, { value: rate, evidence: evidenceOf(unit, unit.kind === 'ROW' ? 0.9 : 0.8) });
      }
    }
  }
  return [...byKey.values()];
}

function priceInColumn(unit: Unit, x: number) {
  const cell = unit.cells
    .filter((c) => findMoney(c.text).length)
    .sort((a, b) => Math.abs(a.x - x) - Math.abs(b.x - x))[0];
  return cell ? findMoney(cell.text)[0] : null;
}

const PROMO =
  /\b(promotional|promo|welcome|onboarding|implementation|referral|complimentary|free|bonus credit|sign-?up)\b/i;
const PREPAID =
  /\b(prepaid|pre-paid|prepay\w*|commitment|commits?|initial grant|purchase[sd]?|paid in advance)\b/i;
const SLA = /\b(service[- ]level|SLA|uptime|availability)\b/i;

function expiryOf(
  text: string,
  start: string | undefined,
  end: string | null | undefined,
  dayFirst: boolean,
): string | null | undefined {
  const relative = new RegExp(
    `\\bexpir\\w*\\s+(?:\\w+\\s+){0,2}${COUNT}\\s+months?\\s+(?:from|after)\\s+(?:the\\s+)?(?:\\w+\\s+){0,3}(?:start|effective)`,
    'i',
  ).exec(text);
  if (relative && start) {
    const n = countOf(relative, 0);
    if (n) return inclusiveEndAfterMonths(start, n);
  }
  const at = /\bexpir\w*\b/i.exec(text);
  if (at) {
    const date = findDates(text.slice(at.index), dayFirst)[0];
    if (date) return date.iso;
    if (/\b(end of the (?:initial )?term|co-?terminous|term ends)\b/i.test(text.slice(at.index)))
      return end ?? undefined;
  }
  if (/\b(do not|never|does not) expire\b/i.test(text)) return null;
  return undefined;
}

/**
 * Prepaid credits (paid for: amount paid, credits granted with any bonus, expiry) and promotional credits
 * (free), from labeled rows or sentences about credits. SLA credits are neither.
 */
export function extractCredits(
  units: Unit[],
  start: string | undefined,
  end: string | null | undefined,
  dayFirst: boolean,
  issues: Issues,
): {
  prepaid: Array<ExtractedValue<ExtractedCredit>>;
  promotional: Array<ExtractedValue<ExtractedPromotionalCredit>>;
} {
  const prepaid: Array<ExtractedValue<ExtractedCredit>> = [];
  const promotional: Array<ExtractedValue<ExtractedPromotionalCredit>> = [];
  const labeled = labeledValues(units);
  const labeledExpiry = labeled.find((lv) => /credit.*expir|expir.*credit/.test(lv.label));
  // A credits block of labeled rows: what is paid, any bonus, the credits issued, their expiry.
  const used = new Set<Unit>();
  const withMoney = (lv: (typeof labeled)[number]) => findMoney(lv.value).length > 0;
  const paidRow = labeled.find(
    (lv) =>
      /^(prepayment|prepaid amount|(annual |prepaid )?commitment( amount)?|initial grant( amount)?|amount paid|purchase amount)$/.test(
        lv.label,
      ) && withMoney(lv),
  );
  if (paidRow) {
    const paid = new Decimal(findMoney(paidRow.value)[0].amount);
    const creditRow = labeled.find(
      (lv) =>
        lv !== paidRow &&
        /\bcredits?\b.*\b(issued|granted|received|total)\b|^(usage|total) credits$/.test(lv.label) &&
        withMoney(lv),
    );
    const bonusRow = labeled.find((lv) => /\bbonus\b/.test(lv.label));
    const bonus = bonusRow ? /(\d+(?:\.\d+)?)\s?%/.exec(bonusRow.value) : null;
    const credit = creditRow
      ? new Decimal(findMoney(creditRow.value)[0].amount)
      : bonus
        ? paid.mul(new Decimal(bonus[1]).div(100).plus(1))
        : paid;
    const expires =
      expiryOf(paidRow.value, start, end, dayFirst) ??
      (labeledExpiry ? findDates(labeledExpiry.value, dayFirst)[0]?.iso : undefined);
    prepaid.push({
      value: {
        amountPaid: moneyText(paid.toFixed(2)),
        creditAmount: moneyText(credit.toFixed(2)),
        expiresOn: expires ?? null,
      },
      evidence: evidenceOf(creditRow?.unit ?? paidRow.unit, 0.9),
    });
    for (const lv of [paidRow, creditRow, bonusRow]) if (lv) used.add(lv.unit);
  }
  units.forEach((unit, i) => {
    if (used.has(unit)) return;
    const text = unit.text;
    // A sentence under a "Prepaid credits." heading is about credits even when it does not say so again.
    const heading =
      units[i - 1]?.kind === 'SENTENCE' && units[i - 1].text.length < 40 ? units[i - 1].text : '';
    if (!/\bcredits?\b|\bgrant\b/i.test(`${heading} ${text}`) || SLA.test(text)) return;
    const amounts = findMoney(text);
    if (!amounts.length) return;
    const next = units[i + 1]?.text ?? '';
    if (PROMO.test(text) && !PREPAID.test(text)) {
      const expires = expiryOf(text, start, end, dayFirst) ?? expiryOf(next, start, end, dayFirst);
      promotional.push({
        value: { amount: moneyText(amounts[0].amount), expiresOn: expires ?? null },
        evidence: evidenceOf(unit, expires === undefined ? 0.7 : 0.85),
      });
      if (expires === undefined)
        issues.push({
          field: 'note:promotionalCredits',
          message: 'No expiry was found for the promotional credit',
        });
      return;
    }
    if (!PREPAID.test(text) && !(unit.kind === 'ROW' && /grant|credit/i.test(unit.cells[0].text))) return;
    // The commitment is often stated in the sentence before the credits it buys.
    const previous = units[i - 1];
    if (previous?.kind === 'SENTENCE' && previous.page === unit.page && PREPAID.test(previous.text)) {
      const before = findMoney(previous.text);
      if (before.length === 1 && amounts.length === 1 && !before[0].amount.startsWith(amounts[0].amount)) {
        amounts.unshift({ ...before[0], index: -1 });
      }
    }
    const paid = new Decimal(amounts[0].amount);
    let credit = paid;
    const bonus =
      /(\d+(?:\.\d+)?)\s?%\s+(?:bonus|additional|extra|more)/i.exec(text) ??
      /bonus of (\d+(?:\.\d+)?)\s?%/i.exec(text);
    const receives = amounts.find(
      (a, j) =>
        j > 0 && a.index >= 0 && /\bcredits?\b/i.test(text.slice(a.index, a.index + a.text.length + 25)),
    );
    if (receives) credit = new Decimal(receives.amount);
    else if (bonus) credit = paid.mul(new Decimal(bonus[1]).div(100).plus(1));
    let expires = expiryOf(text, start, end, dayFirst);
    if (expires === undefined && labeledExpiry) expires = findDates(labeledExpiry.value, dayFirst)[0]?.iso;
    prepaid.push({
      value: {
        amountPaid: moneyText(paid.toFixed(2)),
        creditAmount: moneyText(credit.toFixed(2)),
        expiresOn: expires ?? null,
      },
      evidence: evidenceOf(unit, 0.85),
    });
  });
  return { prepaid: prepaid.slice(0, 1), promotional: promotional.slice(0, 1) };
}
