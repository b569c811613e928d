import type { ContractExtraction, EvidenceLine } from './contract-extraction-types';

/** Every value an extraction read, as one line per field for the reviewer (`rates.0`, `prepaidCredits.0`, …). */
export function evidenceLines(extraction: ContractExtraction): EvidenceLine[] {
  const lines: EvidenceLine[] = [];
  const scalar = (
    field: string,
    found: { value: unknown; evidence: EvidenceLine['evidence'] } | undefined,
  ) => {
    if (found) lines.push({ field, value: describe(found.value), evidence: found.evidence });
  };
  scalar('customer.legalName', extraction.legalName);
  scalar('customer.billingEmail', extraction.billingEmail);
  scalar('customer.address', extraction.address);
  scalar('contractStart', extraction.startDate);
  scalar('contractEnd', extraction.endDate);
  scalar('billingCycle', extraction.billingCycle);
  scalar('paymentTermsDays', extraction.paymentTermsDays);
  scalar('autoPay', extraction.autoPay);
  scalar('currency', extraction.currency);
  scalar(
    'plan',
    extraction.plan && { value: extraction.plan.value.name, evidence: extraction.plan.evidence },
  );
  extraction.prepaidCredits.forEach((c, i) => scalar(`prepaidCredits.${i}`, c));
  extraction.promotionalCredits.forEach((c, i) => scalar(`promotionalCredits.${i}`, c));
  extraction.rates.forEach((r, i) =>
    scalar(`rates.${i}`, {
      value: `${r.value.meterCode} ${JSON.stringify(r.value.dimensions)} ${r.value.rate}`,
      evidence: r.evidence,
    }),
  );
  return lines;
}

function describe(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
