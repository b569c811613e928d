import type { RequestContext } from '../../context';
import type { IdempotentOutcome } from '../common';
import type { CreditService } from '../credits';
import type { ContractPeriodInvoices, InvoiceScheduleService } from '../invoicing';
import { addAddOn, changeQuantity, removeAddOn } from './add-on-changes';
import { autoRenewChange, billingCycleChange } from './billing-terms-changes';
import { commitmentsChange, type SetCommitmentsInput } from './commitment-changes';
import { cancellation } from './contract-cancellation';
import { checkRenewalNoticeDays, renewalNoticeChange, type SetRenewalNoticeInput } from './contract-end';
import type {
  AddAddOnInput,
  CancelContractInput,
  ChangeBillingCycleInput,
  ChangePlanInput,
  ChangeQuantityInput,
  ContractChangeResult,
  RemoveAddOnInput,
  SetAutoRenewInput,
} from './contract-change-inputs';
import type { ContractChangeRunner } from './contract-change-runner';
import type { ContractChangeTiming } from './contract-change-timing';
import { planChange } from './plan-change';

/**
 * Self-serve contract management: plan changes, add-ons, seat quantities, billing cycle, cancellation and
 * auto-renew. Every change:
 * - runs in ONE transaction holding the contract row lock, behind an idempotency record (the runner);
 * - is expressed on the effective-dated contract items (old items end at the change instant, new ones start
 *   there), so the invoice engine prices usage and prorated flat fees on each side of it with no special case;
 * - records a contract amendment (who, when, what, source) and, when Salesforce is connected, the CRM outbox
 *   rows in the same transaction;
 * - is refused with a clear error, changing nothing, when the contract is cancelled or ended, when it would
 *   alter a finalized period, or when a plan bills in another currency.
 */
export class ContractAmendmentService {
  constructor(
    private readonly runner: ContractChangeRunner,
    private readonly timing: ContractChangeTiming,
    private readonly periods: ContractPeriodInvoices,
    private readonly schedule: InvoiceScheduleService,
    private readonly credits: Pick<CreditService, 'voidGrant'>,
  ) {}

  async changePlan(
    ctx: RequestContext,
    input: ChangePlanInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'changePlan', input, planChange(this.timing, input));
  }

  async addAddOn(
    ctx: RequestContext,
    input: AddAddOnInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'addAddOn', input, addAddOn(this.timing, input));
  }

  async removeAddOn(
    ctx: RequestContext,
    input: RemoveAddOnInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'removeAddOn', input, removeAddOn(this.timing, input));
  }

  async changeQuantity(
    ctx: RequestContext,
    input: ChangeQuantityInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'changeQuantity', input, changeQuantity(this.timing, input));
  }

  async changeBillingCycle(
    ctx: RequestContext,
    input: ChangeBillingCycleInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    const deps = { timing: this.timing, periods: this.periods, schedule: this.schedule };
    return this.runner.amend(ctx, 'changeBillingCycle', input, billingCycleChange(deps, input));
  }

  async cancel(
    ctx: RequestContext,
    input: CancelContractInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    const deps = { timing: this.timing, periods: this.periods, credits: this.credits };
    return this.runner.amend(ctx, 'cancelContract', input, cancellation(deps, input));
  }

  /** The contract's notice period (fixed-term contracts); the days are checked before anything is read. */
  async setRenewalNotice(
    ctx: RequestContext,
    input: SetRenewalNoticeInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    checkRenewalNoticeDays(input.days);
    return this.runner.amend(ctx, 'setRenewalNotice', input, renewalNoticeChange(input));
  }

  async setAutoRenew(
    ctx: RequestContext,
    input: SetAutoRenewInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'setAutoRenew', input, autoRenewChange(input));
  }

  /** Replaces the minimum commitment and rollover terms (commitment-changes.ts). */
  async setCommitments(
    ctx: RequestContext,
    input: SetCommitmentsInput,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    return this.runner.amend(ctx, 'setContractCommitments', input, commitmentsChange(input));
  }
}
