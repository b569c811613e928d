import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { decimalText, type ContractDraftContent, type DraftBillingCycle } from '../../domain/contract-draft';
import { badInput } from '../../domain/errors';
import type { Decimal } from '../../domain/money';
import { CustomerEntity } from '../../entities/customer.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';

/**
 * Terms ops set on a draft. The shape and field limits (lengths, dates, codes, ranges, amounts) are
 * validated by the API's input rules before a call gets here; `applyDraftTerms` checks only what needs
 * the catalog or the environment.
 */
export interface DraftTermsInput {
  customerId?: string | null;
  proposedCustomer?: {
    name: string;
    email?: string | null;
    address?: string | null;
    website?: string | null;
  } | null;
  currency?: string | null;
  contractStart?: string | null;
  contractEnd?: string | null;
  paymentTermsDays?: number | null;
  billingCycle?: DraftBillingCycle | null;
  /** null = the plan's. */
  autoPay?: boolean | null;
  plan?: { planId: string; quantity?: Decimal | null; unitPrice?: Decimal | null } | null;
  usagePricings?: Array<{
    pricingId: string;
    dimensions?: Record<string, string> | null;
    overrideRate?: Decimal | null;
  }>;
  flatFees?: Array<{
    pricingId?: string | null;
    description: string;
    quantity: Decimal;
    unitPrice: Decimal;
    serviceDate?: string | null;
  }>;
  prepaidCredits?: { grantAmount: Decimal; invoiceAmount: Decimal; expiresOn?: string | null } | null;
  /** Drops the line items that matched nothing (after ops decided they need no billing). */
  dismissUnmatchedLineItems?: boolean | null;
}

/**
 * Applies the given terms (absent = unchanged, null = cleared) after checking that every customer,
 * plan and pricing they name exists in the caller's environment (and is of the right kind).
 */
export async function applyDraftTerms(
  tx: RequestContext,
  current: ContractDraftContent,
  input: DraftTermsInput,
): Promise<ContractDraftContent> {
  const content: ContractDraftContent = structuredClone(current);
  const edited = new Set<string>();
  const env = tx.environmentId;
  const has = <K extends keyof DraftTermsInput>(key: K) => input[key] !== undefined;

  if (has('customerId')) {
    const customerId = input.customerId ?? null;
    if (
      customerId &&
      !(await tx.repo(CustomerEntity).exists({ where: { id: customerId, environmentId: env } }))
    )
      throw badInput('input.customerId', `customer ${customerId} not found`);
    content.customer.matchedCustomerId = customerId;
    edited.add('customer');
  }
  if (has('proposedCustomer')) {
    const p = input.proposedCustomer;
    content.customer.proposed = p
      ? {
          name: p.name.trim(),
          email: p.email ?? null,
          address: p.address ?? null,
          website: p.website ?? null,
        }
      : null;
    edited.add('customer').add('customer.proposed.email');
  }
  if (has('currency')) content.currency = input.currency ?? null;
  if (has('contractStart')) content.contractStart = input.contractStart ?? null;
  if (has('contractEnd')) content.contractEnd = input.contractEnd ?? null;
  if (has('paymentTermsDays')) content.paymentTermsDays = input.paymentTermsDays ?? null;
  if (has('billingCycle')) content.billingCycle = input.billingCycle ?? null;
  if (has('autoPay')) content.autoPay = input.autoPay ?? null;
  for (const key of ['contractStart', 'contractEnd', 'paymentTermsDays', 'billingCycle', 'autoPay'] as const)
    if (has(key)) edited.add(key);
  if (has('plan')) {
    const plan = input.plan ?? null;
    if (plan && !(await tx.repo(PlanEntity).exists({ where: { id: plan.planId, environmentId: env } })))
      throw badInput('input.plan.planId', `plan ${plan.planId} not found`);
    content.plan = plan
      ? {
          planId: plan.planId,
          quantity: plan.quantity ? decimalText(plan.quantity.toFixed()) : null,
          unitPrice: plan.unitPrice ? decimalText(plan.unitPrice.toFixed()) : null,
          listPrice: content.plan?.planId === plan.planId ? content.plan.listPrice : null,
          sourceLineItemId: content.plan?.planId === plan.planId ? content.plan.sourceLineItemId : null,
        }
      : null;
    edited.add('plan');
  }
  if (has('usagePricings')) {
    const items = input.usagePricings ?? [];
    await checkPricings(
      tx,
      items.map((i) => i.pricingId),
      'USAGE',
      'input.usagePricings',
    );
    content.usagePricings = items.map((item) => {
      const before = content.usagePricings.find((p) => p.pricingId === item.pricingId);
      return {
        pricingId: item.pricingId,
        dimensions: item.dimensions ?? {},
        overrideRate: item.overrideRate ? item.overrideRate.toFixed() : null,
        listRate: before?.listRate ?? null,
        sourceLineItemId: before?.sourceLineItemId ?? null,
      };
    });
  }
  if (has('flatFees')) {
    const fees = input.flatFees ?? [];
    await checkPricings(
      tx,
      fees.map((f) => f.pricingId).filter((id): id is string => !!id),
      'FLAT_FEE',
      'input.flatFees',
    );
    content.flatFees = fees.map((fee) => ({
      pricingId: fee.pricingId ?? null,
      description: fee.description.trim(),
      quantity: fee.quantity.toFixed(),
      unitPrice: fee.unitPrice.toFixed(),
      listPrice: null,
      serviceDate: fee.serviceDate ?? null,
      sourceLineItemId: null,
    }));
  }
  if (has('prepaidCredits')) {
    const credits = input.prepaidCredits ?? null;
    content.prepaidCredits = credits
      ? {
          grantAmount: credits.grantAmount.toFixed(),
          invoiceAmount: credits.invoiceAmount.toFixed(),
          expiresOn: credits.expiresOn ?? null,
        }
      : null;
    edited.add('prepaidCredits.expiresOn');
  }
  if (input.dismissUnmatchedLineItems) {
    content.unmatchedLineItems = [];
    edited.add('unmatchedLineItems');
  }
  // A warning about a field is moot once ops has set that field.
  content.extractionWarnings = content.extractionWarnings.filter(
    (w) => !edited.has(w.field.replace(/^note:/, '')),
  );
  return content;
}

/** Every id names a pricing of this kind in the caller's environment; the first that does not is reported. */
async function checkPricings(
  tx: RequestContext,
  ids: string[],
  kind: 'USAGE' | 'FLAT_FEE',
  field: string,
): Promise<void> {
  if (!ids.length) return;
  const found = await tx.repo(PricingEntity).find({
    select: { id: true, kind: true },
    where: { environmentId: tx.environmentId, id: In([...new Set(ids)]) },
  });
  const ok = new Set(found.filter((p) => p.kind === kind).map((p) => p.id));
  const index = ids.findIndex((id) => !ok.has(id));
  if (index >= 0)
    throw badInput(
      `${field}.${index}.pricingId`,
      `${kind === 'USAGE' ? 'usage pricing' : 'flat fee'} ${ids[index]} not found`,
    );
}
