import { emptyDraftContent, type ContractDraftContent } from './contract-draft';
import type { ContractExtraction, ExtractionCatalog } from './contract-extraction-types';

/** Draft fields the extraction issues are shown on (a missing field shows the issue instead of a generic one). */
const FIELD_OF: Record<string, string> = {
  customer: 'customer',
  'customer.proposed.email': 'customer.proposed.email',
  contractStart: 'contractStart',
  contractEnd: 'contractEnd',
  paymentTermsDays: 'paymentTermsDays',
  billingCycle: 'billingCycle',
  plan: 'plan',
};

/**
 * The draft's terms from an extraction: the proposed customer, dates, terms, plan, the negotiated rates as
 * overrides, and the credits (prepaid, else a promotional grant with nothing invoiced).
 */
export function draftContentFromExtraction(
  extraction: ContractExtraction,
  catalog: ExtractionCatalog,
): ContractDraftContent {
  const content = emptyDraftContent();
  if (extraction.legalName) {
    content.customer.proposed = {
      name: extraction.legalName.value,
      email: extraction.billingEmail?.value ?? null,
      address: extraction.address?.value ?? null,
      website: null,
    };
  }
  const plan = extraction.plan
    ? catalog.plans.find((p) => p.planId === extraction.plan!.value.planId)
    : undefined;
  content.currency = extraction.currency?.value ?? plan?.currency ?? null;
  content.contractStart = extraction.startDate?.value ?? null;
  content.contractEnd = extraction.endDate?.value ?? null;
  content.paymentTermsDays = extraction.paymentTermsDays?.value ?? null;
  content.billingCycle = extraction.billingCycle?.value ?? null;
  content.autoPay = extraction.autoPay?.value ?? null;
  if (plan)
    content.plan = {
      planId: plan.planId,
      quantity: null,
      unitPrice: null,
      listPrice: null,
      sourceLineItemId: null,
    };
  content.usagePricings = extraction.rates.map((r) => ({
    pricingId: r.value.pricingId,
    dimensions: r.value.dimensions,
    overrideRate: r.value.rate,
    listRate: r.value.catalogRate,
    sourceLineItemId: null,
  }));
  const prepaid = extraction.prepaidCredits[0]?.value;
  const promo = extraction.promotionalCredits[0]?.value;
  if (prepaid) {
    content.prepaidCredits = {
      grantAmount: prepaid.creditAmount,
      invoiceAmount: prepaid.amountPaid,
      expiresOn: prepaid.expiresOn,
    };
    if (promo)
      content.extractionWarnings.push({
        field: 'note:prepaidCredits',
        message: `A promotional credit of ${promo.amount} is also stated; grant it separately`,
      });
  } else if (promo) {
    content.prepaidCredits = { grantAmount: promo.amount, invoiceAmount: '0', expiresOn: promo.expiresOn };
    content.extractionWarnings.push({
      field: 'note:prepaidCredits',
      message: 'Promotional credit: granted without a commitment invoice',
    });
  }
  for (const issue of extraction.issues) {
    const field = FIELD_OF[issue.field];
    content.extractionWarnings.push({
      field: field ?? `note:${issue.field.replace(/^note:/, '')}`,
      message: issue.message,
    });
  }
  return content;
}
