import type { RequestContext } from '../../context';
import type { ContractDraftContent } from '../../domain/contract-draft';
import { AppError, badInput, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal, toMinorUnits } from '../../domain/money';
import { parseCalendarDate } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import type { ContractAddOnInput } from '../contracts';
import type {
  ConfirmableContractDraft,
  ContractDraftConfirmer,
  ReplacedContractHook,
} from './draft-decision.service';
import type { ContractService, RateOverrideInput } from '../contracts';
import type { CustomerService } from '../customers';
import type { OneTimeChargeInput } from '../contracts';
import type { SelfServeCrmSync } from '../crm';

/**
 * Confirms a reviewed Contract Extraction draft into billing, inside the draft service's transaction:
 * matches or creates the customer, creates the contract (plan, period, terms, rate overrides, the deal's
 * fees, fixed credits and their commitment invoice — the contract service does the last two and
 * pre-generates the period invoices), and mirrors the new contract to the CRM outbox.
 *
 * Fees are never dropped (the draft's issues told the reviewer how each is billed, see
 * domain/draft-fee-billing.ts): a fee naming a flat-fee pricing the plan does not charge becomes a recurring
 * add-on at the catalog amount; one the plan already charges is billed by the plan; a fee without a pricing
 * becomes a one-time charge on its service date (or the contract start).
 *
 * A review item (a change to a deal whose draft was already confirmed) never silently edits the live
 * contract: confirming it records that ops reviewed the change, which they apply with the contract
 * amendment mutations (changePlan, changeQuantity, …) so it lands in the contract's history.
 */
export class DraftConfirmer implements ContractDraftConfirmer {
  constructor(
    private readonly customers: CustomerService,
    private readonly contracts: ContractService,
    private readonly crm: SelfServeCrmSync,
    /** An expansion's deal ends the customer's self-serve contract at the new start. */
    private readonly replaced: ReplacedContractHook = async () => null,
  ) {}

  async confirm(
    tx: RequestContext,
    draft: ConfirmableContractDraft,
  ): Promise<{ contractId: string; customerId: string }> {
    if (draft.parentContractId) {
      const contract = await tx
        .repo(ContractEntity)
        .findOne({ where: { id: draft.parentContractId, environmentId: tx.environmentId } });
      if (!contract) throw notFound('Contract', draft.parentContractId);
      return { contractId: contract.id, customerId: contract.customerId };
    }
    const content = draft.content;
    if (!content.plan) throw badInput('draft.plan', 'A plan is required');
    if (!content.contractStart) throw badInput('draft.contractStart', 'A contract start date is required');
    const plan = await tx
      .repo(PlanEntity)
      .findOne({ where: { id: content.plan.planId, environmentId: tx.environmentId } });
    if (!plan) throw notFound('Plan', content.plan.planId, 'draft.plan');

    const customerId = await this.matchOrCreateCustomer(tx, draft);
    const finishReplacement = await this.replaced(tx, {
      opportunityId: draft.opportunityId,
      customerId,
      startDate: parseCalendarDate(content.contractStart),
      carryOverPromotionalCredits: draft.carryOverPromotionalCredits,
    });
    const fees = await this.fees(tx, content, plan.id, content.contractStart);
    const credits = content.prepaidCredits;
    const contract = await this.contracts
      .create(tx, {
        customerId,
        planId: plan.id,
        startDate: parseCalendarDate(content.contractStart),
        endDate: content.contractEnd ? parseCalendarDate(content.contractEnd) : null,
        billingCycle: content.billingCycle ?? undefined,
        paymentTermsDays: content.paymentTermsDays ?? undefined,
        // Terms the draft does not state are the plan's, as the draft's issues told the reviewer.
        autoPay: content.autoPay ?? undefined,
        rateOverrides: await this.rateOverrides(tx, draft),
        addOns: fees.addOns,
        oneTimeCharges: fees.oneTimeCharges,
        source: 'SALESFORCE_DRAFT',
        ...(credits
          ? {
              creditGrantCents: toMinorUnits(new Decimal(credits.grantAmount), plan.currency),
              creditSettings: {
                description: content.opportunity
                  ? `Prepaid credits: ${content.opportunity.name}`
                  : 'Prepaid credits',
                // The expiry day is covered in full.
                expiresAt: credits.expiresOn ? endOfDay(credits.expiresOn) : null,
                invoiceAmountCents: new Decimal(credits.invoiceAmount).isZero()
                  ? null
                  : toMinorUnits(new Decimal(credits.invoiceAmount), plan.currency),
              },
            }
          : {}),
      })
      .catch((error: unknown) => {
        throw asDraftContractError(error);
      });
    await this.crm.contractChanged(tx, contract, {
      amendmentId: newId('ord'),
      type: 'New Business',
      effectiveAt: contract.startDate,
      description: `Contract confirmed from draft ${draft.id}${content.opportunity ? ` (${content.opportunity.name})` : ''}`,
    });
    await finishReplacement?.(contract);
    return { contractId: contract.id, customerId };
  }

  /** The matched customer, else the one with the deal's Salesforce Account id, else a new one from the Account. */
  private async matchOrCreateCustomer(tx: RequestContext, draft: ConfirmableContractDraft): Promise<string> {
    const { customer } = draft.content;
    const repo = tx.repo(CustomerEntity);
    if (customer.matchedCustomerId) {
      const found = await repo.findOne({
        where: { id: customer.matchedCustomerId, environmentId: tx.environmentId },
      });
      if (!found) throw notFound('Customer', customer.matchedCustomerId);
      return found.id;
    }
    if (customer.salesforceAccountId) {
      const found = await repo.findOne({
        where: { salesforceAccountId: customer.salesforceAccountId, environmentId: tx.environmentId },
      });
      if (found) return found.id;
    }
    if (!customer.proposed)
      throw badInput('draft.customer', 'Pick an existing customer or propose a new one');
    try {
      const created = await this.customers.create(tx, {
        name: customer.proposed.name,
        email: customer.proposed.email,
        salesforceAccountId: customer.salesforceAccountId,
      });
      return created.id;
    } catch (error) {
      throw asDraftCustomerError(error);
    }
  }

  /** The draft's fees as contract add-ons (recurring) and one-time charges; fees the plan charges are skipped. */
  private async fees(
    tx: RequestContext,
    content: ContractDraftContent,
    planId: string,
    contractStart: string,
  ): Promise<{ addOns: ContractAddOnInput[]; oneTimeCharges: OneTimeChargeInput[] }> {
    const planItems = await tx
      .repo(PlanItemEntity)
      .find({ select: { pricingId: true }, where: { planId, environmentId: tx.environmentId } });
    const inPlan = new Set(planItems.map((item) => item.pricingId));
    const addOns: ContractAddOnInput[] = [];
    const oneTimeCharges: OneTimeChargeInput[] = [];
    for (const fee of content.flatFees) {
      if (fee.pricingId === null) {
        oneTimeCharges.push({
          description: fee.description,
          amount: new Decimal(fee.unitPrice),
          quantity: new Decimal(fee.quantity),
          chargeDate: parseCalendarDate(fee.serviceDate ?? contractStart),
        });
      } else if (!inPlan.has(fee.pricingId)) {
        addOns.push({ pricingId: fee.pricingId, quantity: new Decimal(fee.quantity) });
      }
    }
    return { addOns, oneTimeCharges };
  }

  /** Negotiated rates of the draft's usage pricings become contract rate overrides on their meters. */
  private async rateOverrides(
    tx: RequestContext,
    draft: ConfirmableContractDraft,
  ): Promise<RateOverrideInput[]> {
    const overrides: RateOverrideInput[] = [];
    for (const [index, usage] of draft.content.usagePricings.entries()) {
      if (usage.overrideRate === null) continue;
      const pricing = await tx
        .repo(PricingEntity)
        .findOne({ where: { id: usage.pricingId, environmentId: tx.environmentId } });
      if (!pricing?.meterId)
        throw badInput(`draft.usagePricings.${index}.pricingId`, 'is not a usage pricing');
      const meter = await tx.repo(MeterEntity).findOneOrFail({ where: { id: pricing.meterId } });
      overrides.push({
        meterCode: meter.code,
        dimensions: usage.dimensions,
        rate: new Decimal(usage.overrideRate),
      });
    }
    return overrides;
  }
}

function endOfDay(day: string): Date {
  return new Date(parseCalendarDate(day).getTime() + 24 * 3600 * 1000 - 1000);
}

/**
 * The customer service names its own input (`input.email`); the reviewer edits the draft, so a refusal
 * names the draft's field instead (the draft's issues raise these beforehand; this covers what only the
 * customer service's stricter checks or a concurrent writer catch).
 */
function asDraftCustomerError(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.field?.startsWith('input.')) return error;
  const name = error.field.slice('input.'.length);
  const field =
    name === 'salesforceAccountId' ? 'draft.customer.salesforceAccountId' : `draft.customer.proposed.${name}`;
  return new AppError(error.code, error.message, field);
}

/** The contract service's input fields, as the draft fields a reviewer edits. */
const DRAFT_FIELD_OF_CONTRACT_INPUT: Record<string, string> = {
  planId: 'draft.plan',
  startDate: 'draft.contractStart',
  endDate: 'draft.contractEnd',
  billingCycle: 'draft.billingCycle',
  paymentTermsDays: 'draft.paymentTermsDays',
  customerId: 'draft.customer',
  oneTimeCharges: 'draft.flatFees',
  addOns: 'draft.flatFees',
  rateOverrides: 'draft.usagePricings',
};

/** A refusal of the contract service (e.g. an overlapping contract of the customer) names the draft's field. */
function asDraftContractError(error: unknown): unknown {
  if (!(error instanceof AppError) || !error.field?.startsWith('input.')) return error;
  const [name] = error.field.slice('input.'.length).split('.');
  return new AppError(error.code, error.message, DRAFT_FIELD_OF_CONTRACT_INPUT[name] ?? 'draft');
}
