import { readingUnits } from './contract-extraction-layout';
import {
  alignEmailWithName,
  extractAddress,
  extractBillingEmail,
  extractLegalName,
} from './contract-extraction-parties';
import { extractCredits, extractPlan, extractRates } from './contract-extraction-pricing';
import {
  extractAutoPay,
  extractBillingCycle,
  extractCurrency,
  extractPaymentTerms,
  extractTerm,
} from './contract-extraction-terms';
import type { ContractExtraction, ExtractionCatalog, ReadDocument } from './contract-extraction-types';

export type * from './contract-extraction-types';

/** Values below this confidence are not proposed: they stay empty with an issue for the reviewer. */
export const MIN_CONFIDENCE = 0.6;

/**
 * The built-in extractor: layout first (lines, columns, ticked options, label/value rows, sentences), then
 * each term from where agreements state it, matched against the catalog. Precision over recall: a term it
 * cannot pin down is left empty with an issue that says why.
 */
export function extractContract(document: ReadDocument, catalog: ExtractionCatalog): ContractExtraction {
  const units = readingUnits(document);
  const issues: ContractExtraction['issues'] = [];
  const all = units.map((u) => u.text).join('\n');
  // Day-first numeric dates where the document writes other dates day first ("31 May 2025", "01.03.2025").
  const dayFirst =
    /\b\d{1,2}\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b/.test(
      all,
    ) || /\b(GBP|EUR)\b|[£€]/.test(all);
  const { start, end } = extractTerm(units, dayFirst, issues);
  const rates = extractRates(units, catalog, issues);
  const credits = extractCredits(units, start?.value, end?.value, dayFirst, issues);
  const extraction: ContractExtraction = {
    legalName: extractLegalName(units, catalog.vendorNames, issues),
    billingEmail: extractBillingEmail(units, catalog.vendorNames, issues),
    address: extractAddress(units, catalog.vendorNames),
    startDate: start,
    endDate: end,
    billingCycle: extractBillingCycle(units, issues),
    paymentTermsDays: extractPaymentTerms(units, issues),
    autoPay: extractAutoPay(units),
    currency: extractCurrency(units, issues),
    plan: extractPlan(units, catalog, new Set(rates.map((r) => r.value.meterCode)), issues),
    prepaidCredits: credits.prepaid,
    promotionalCredits: credits.promotional,
    rates,
    issues,
  };
  if (document.method === 'OCR' && extraction.billingEmail && extraction.legalName) {
    extraction.billingEmail.value = alignEmailWithName(
      extraction.billingEmail.value,
      extraction.legalName.value,
    );
  }
  for (const key of Object.keys(extraction) as Array<keyof ContractExtraction>) {
    const value = extraction[key] as { evidence?: { confidence: number } } | undefined;
    if (value && !Array.isArray(value) && value.evidence && value.evidence.confidence < MIN_CONFIDENCE) {
      issues.push({ field: String(key), message: 'Read with low confidence; not proposed' });
      delete extraction[key];
    }
  }
  return extraction;
}
