import type { ContractDraftContent } from '../../domain/contract-draft';
import { Decimal } from '../../domain/money';
import type { ContractDraftEntity } from '../../entities/contract-draft.entity';
import { money } from '../money';
import type { BillingCycleEnum } from '../plan/plan.types';
import type { ContractDraft, ContractDraftSourceEnum, ContractDraftStatusEnum } from './contract-draft.types';

/** The GraphQL ContractDraft plus the stored content, which field resolvers (pricings) read. */
export type ContractDraftView = ContractDraft & { content: ContractDraftContent };

const dec = (value: string | null | undefined): Decimal | null =>
  value === null || value === undefined ? null : new Decimal(value);

/** Maps a stored draft to its GraphQL shape: decimals from their stored strings, terms from the content. */
export function toContractDraftView(draft: ContractDraftEntity): ContractDraftView {
  const c = draft.content;
  // Until the deal names a currency, amounts are written with the usual two minor digits.
  const currency = c.currency ?? '';
  return {
    id: draft.id,
    source: draft.source as ContractDraftSourceEnum,
    status: draft.status as ContractDraftStatusEnum,
    opportunityId: draft.opportunityId,
    opportunityName: c.opportunity?.name ?? null,
    closeDate: c.opportunity?.closeDate ?? null,
    amount: c.opportunity?.amount ? money(new Decimal(c.opportunity.amount), currency) : null,
    isReviewItem: draft.parentDraftId !== null,
    parentDraftId: draft.parentDraftId,
    customer: {
      matchedCustomerId: c.customer.matchedCustomerId,
      salesforceAccountId: c.customer.salesforceAccountId,
      proposedName: c.customer.proposed?.name ?? null,
      proposedEmail: c.customer.proposed?.email ?? null,
      proposedAddress: c.customer.proposed?.address ?? null,
      proposedWebsite: c.customer.proposed?.website ?? null,
    },
    currency: c.currency,
    contractStart: c.contractStart,
    contractEnd: c.contractEnd,
    evergreen: c.contractEnd === null,
    paymentTermsDays: c.paymentTermsDays,
    billingCycle: c.billingCycle as BillingCycleEnum | null,
    autoPay: c.autoPay ?? null,
    plan: c.plan
      ? {
          planId: c.plan.planId,
          quantity: dec(c.plan.quantity),
          unitPrice: dec(c.plan.unitPrice),
          listPrice: dec(c.plan.listPrice),
        }
      : null,
    rateOverrides: c.usagePricings
      .filter((p) => p.overrideRate !== null)
      .map((p) => ({
        pricingId: p.pricingId,
        dimensions: p.dimensions,
        rate: new Decimal(p.overrideRate!),
        listRate: dec(p.listRate),
      })),
    flatFees: c.flatFees.map((f) => ({
      pricingId: f.pricingId,
      description: f.description,
      quantity: new Decimal(f.quantity),
      unitPrice: new Decimal(f.unitPrice),
      listPrice: dec(f.listPrice),
      serviceDate: f.serviceDate,
    })),
    prepaidCredits: c.prepaidCredits
      ? {
          grantAmount: money(new Decimal(c.prepaidCredits.grantAmount), currency),
          invoiceAmount: money(new Decimal(c.prepaidCredits.invoiceAmount), currency),
          expiresOn: c.prepaidCredits.expiresOn,
        }
      : null,
    unmatchedLineItems: c.unmatchedLineItems.map((u) => ({
      lineItemId: u.lineItemId,
      productCode: u.productCode,
      productName: u.productName,
      quantity: dec(u.quantity),
      unitPrice: dec(u.unitPrice),
    })),
    issues: draft.issues,
    changes: draft.syncChanges ?? [],
    rejectReason: draft.rejectReason,
    confirmedContractId: draft.confirmedContractId,
    confirmedCustomerId: draft.confirmedCustomerId,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    content: c,
  };
}
