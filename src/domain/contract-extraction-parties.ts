import { evidenceOf, labeledValues, type Unit } from './contract-extraction-layout';
import type { ContractExtraction, ExtractedValue } from './contract-extraction-types';

type Issues = ContractExtraction['issues'];

const SUFFIX =
  '(?:Inc\\.?|Incorporated|LLC|L\\.L\\.C\\.|Ltd\\.?|Limited|GmbH|AG|B\\.V\\.|N\\.V\\.|S\\.A\\.|SAS|S\\.r\\.l\\.|PLC|plc|Corp\\.?|Corporation|Company|Co\\.|LLP|LP|Pty Ltd)';
/** A company name ending in a legal-form suffix: "Acme Widgets, Inc.", "Beispiel Daten GmbH". */
const ORG = new RegExp(
  `([A-Z][\\w&'’.-]*(?:,? (?:[A-Z][\\w&'’.-]*|of|and|&|de|la))*,? ${SUFFIX})(?![\\w])`,
  'g',
);

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a name (or e-mail domain) belongs to this organization, the vendor. */
export function isVendor(text: string, vendorNames: string[]): boolean {
  const t = squash(text);
  return vendorNames.some((name) => {
    const core = squash(name.replace(new RegExp(`,?\\s*${SUFFIX}$`), ''));
    return core.length >= 3 && (t.includes(core) || core.includes(t.replace(/(inc|llc|ltd|gmbh|bv)$/, '')));
  });
}

/**
 * The customer's legal name: a "Customer legal name"/"Company" label, the name defined as (“Customer”),
 * or the name under a CUSTOMER column heading. A party with this organization's name is never the customer.
 */
export function extractLegalName(
  units: Unit[],
  vendorNames: string[],
  issues: Issues,
): ExtractedValue<string> | undefined {
  const candidates: Array<ExtractedValue<string>> = [];
  for (const lv of labeledValues(units)) {
    if (
      !/^(customer|client|company)( legal| full)?( name)?( \(legal name\))?$|^(customer|company) \(legal$|legal (entity )?name|^customer name$/.test(
        lv.label,
      )
    )
      continue;
    const name = lv.value.trim();
    if (name && name.length < 120 && !isVendor(name, vendorNames) && !/@/.test(name))
      candidates.push({ value: name, evidence: evidenceOf(lv.unit, 0.95) });
  }
  if (!candidates.length) {
    for (const unit of units) {
      const defined = /\((?:the )?[“"]?(?:Customer|Client)[”"]?\)/.exec(unit.text);
      if (!defined) continue;
      const before =
        unit.text
          .slice(0, defined.index)
          .split(/;|\band\b(?= [A-Z])|\bbetween\b/)
          .pop() ?? '';
      const orgs = [...before.matchAll(ORG)].map((m) => m[1]).filter((n) => !isVendor(n, vendorNames));
      // The name right before the definition is the one it defines.
      if (orgs.length)
        candidates.push({ value: trimName(orgs[orgs.length - 1]), evidence: evidenceOf(unit, 0.85) });
    }
  }
  if (!candidates.length) {
    // "… will provide Acme Corp with …": the party the services are provided to.
    for (const unit of units) {
      for (const m of unit.text.matchAll(/\b(?:provides?|deliver(?:s)?|make available to)\s+(?:to\s+)?/g)) {
        ORG.lastIndex = 0;
        const org = ORG.exec(unit.text.slice(m.index! + m[0].length));
        ORG.lastIndex = 0;
        if (org && org.index === 0 && !isVendor(org[1], vendorNames))
          candidates.push({ value: trimName(org[1]), evidence: evidenceOf(unit, 0.8) });
      }
    }
  }
  if (!candidates.length) {
    units.forEach((unit, i) => {
      const heading = unit.cells.find((c) => /^(customer|client|bill to)$/i.test(c.text.trim()));
      if (!heading) return;
      const below = units
        .slice(i + 1, i + 4)
        .flatMap((u) => u.cells.map((c) => ({ c, u })))
        .find(({ c }) => Math.abs(c.x - heading.x) < 4 && c.y > heading.y);
      if (below && ORG.test(below.c.text) && !isVendor(below.c.text, vendorNames))
        candidates.push({ value: below.c.text.trim(), evidence: evidenceOf(below.u, 0.85, below.c) });
      ORG.lastIndex = 0;
    });
  }
  const names = new Set(candidates.map((c) => squash(c.value)));
  if (names.size > 1) {
    issues.push({
      field: 'customer',
      message: `Several customer names were read (${candidates.map((c) => c.value).join('; ')})`,
    });
    return undefined;
  }
  if (!candidates.length)
    issues.push({ field: 'customer', message: 'The customer party was not found in the document' });
  return candidates[0];
}

/**
 * OCR confuses i, l and 1 (and o and 0): an e-mail domain that differs from the customer's name only by
 * such letters is spelled as the name ("acme-heaIth.com" with "Acme Health, Inc." → "acme-health.com").
 */
export function alignEmailWithName(email: string, name: string): string {
  const at = email.indexOf('@');
  const [label, ...rest] = email.slice(at + 1).split('.');
  const fold = (s: string) =>
    s
      .toLowerCase()
      .replace(/[il1|]/g, 'l')
      .replace(/[o0]/g, 'o');
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const target = fold(label.replace(/-/g, ''));
  for (let i = 0; i + target.length <= squashed.length; i++) {
    const candidate = squashed.slice(i, i + target.length);
    if (fold(candidate) === target && !label.includes('-') && candidate !== label.toLowerCase())
      return `${email.slice(0, at)}@${[candidate, ...rest].join('.')}`;
  }
  return email;
}

function trimName(name: string): string {
  return name.replace(/^(?:and|with|to|by)\s+/i, '').trim();
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BILLING_LOCAL =
  /^(ap|accounts?(payable)?|payables?|billing|invoices?|invoicing|finance|rechnung(en)?|factur\w*|facturation|accounting)\b/i;
const BILLING_CONTEXT = /\b(billing|invoices?|invoice email|accounts payable|a\/p|bill to|remit)\b/i;
const OTHER_CONTEXT =
  /\b(technical|legal|notice|support|security|signature|signed|account executive|contact: )/i;

/**
 * Where invoices go: an address under a billing/invoice label or in a sentence about invoices, with an
 * accounts-payable style mailbox; never this organization's own, a signer's or a technical contact.
 */
export function extractBillingEmail(
  units: Unit[],
  vendorNames: string[],
  issues: Issues,
): ExtractedValue<string> | undefined {
  const scored: Array<{ email: string; score: number; unit: Unit }> = [];
  for (const unit of units) {
    for (const m of unit.text.matchAll(EMAIL)) {
      const email = m[0].replace(/\.$/, '');
      const [local, domain] = email.split('@');
      if (isVendor(domain.split('.')[0], vendorNames)) continue;
      const before = unit.text.slice(Math.max(0, m.index! - 60), m.index!);
      let score = 0;
      if (BILLING_CONTEXT.test(before) || (unit.kind === 'ROW' && BILLING_CONTEXT.test(unit.cells[0].text)))
        score += 2;
      if (BILLING_LOCAL.test(local)) score += 2;
      if (OTHER_CONTEXT.test(before) || (unit.kind === 'ROW' && OTHER_CONTEXT.test(unit.cells[0].text)))
        score -= 3;
      if (/^[a-z]+\.[a-z]+$/i.test(local)) score -= 1;
      scored.push({ email, score, unit });
    }
  }
  const best = scored.sort((a, b) => b.score - a.score)[0];
  if (!best || best.score < 2) {
    issues.push({
      field: 'customer.proposed.email',
      message: 'No billing e-mail of the customer was found in the document',
    });
    return undefined;
  }
  return { value: best.email, evidence: evidenceOf(best.unit, best.score >= 4 ? 0.95 : 0.8) };
}

/** The customer's billing address as written: a "Billing address"/"Bill to"/"Address" label and its lines. */
export function extractAddress(units: Unit[], vendorNames: string[]): ExtractedValue<string> | undefined {
  for (const lv of labeledValues(units)) {
    if (!/^(billing address|bill to|billing|address|customer address|street)$/.test(lv.label)) continue;
    const text = lv.lines.join(', ');
    if (!/\d/.test(text) || isVendor(text, vendorNames) || /@/.test(text)) continue;
    return { value: text, evidence: evidenceOf(lv.unit, 0.8) };
  }
  return undefined;
}
