import { noticeDeadline } from '../../domain/contract-end';
import { badInput, conflict } from '../../domain/errors';
import { contractEndExclusive, formatCalendarDate } from '../../domain/periods';
import { BILLING_CYCLES } from '../catalog';
import type { ContractPeriodInvoices, InvoiceScheduleService } from '../invoicing';
import { saveContract } from './contract-amendment-records';
import type { ApplyChange, ChangeBillingCycleInput, SetAutoRenewInput } from './contract-change-inputs';
import type { ContractChangeTiming } from './contract-change-timing';

export interface BillingCycleChangeDeps {
  timing: ContractChangeTiming;
  periods: ContractPeriodInvoices;
  schedule: InvoiceScheduleService;
}

/**
 * Switches the billing cycle from the next period boundary: the current period is billed as it is, the
 * pre-generated DRAFT invoices of later periods are deleted (never started, never numbered) and the new
 * schedule is pre-generated from the boundary, which becomes the contract's billing anchor.
 */
export function billingCycleChange(
  deps: BillingCycleChangeDeps,
  input: ChangeBillingCycleInput,
): ApplyChange {
  return async (tx, contract) => {
    if (!BILLING_CYCLES.includes(input.billingCycle)) {
      throw badInput('billingCycle', `must be one of ${BILLING_CYCLES.join(', ')}`);
    }
    if (input.billingCycle === contract.billingCycle) {
      throw badInput('billingCycle', `Contract ${contract.id} is already billed ${contract.billingCycle}`);
    }
    const now = tx.now();
    const boundary =
      now.getTime() < contract.startDate.getTime()
        ? contract.startDate
        : await deps.timing.currentPeriodEnd(tx, contract, now);
    const end = contractEndExclusive(contract.endDate);
    if (end && boundary.getTime() >= end.getTime()) {
      throw conflict(
        `Contract ${contract.id} ends with its current billing period (last day ${formatCalendarDate(contract.endDate!)}); ` +
          'there is no later period to bill on another cycle',
        'billingCycle',
      );
    }
    await deps.timing.rejectFinalizedAfter(tx, contract, boundary, 'billingCycle');
    await deps.periods.deleteDraftsFrom(tx, contract.id, boundary);
    const from = contract.billingCycle;
    contract.billingCycle = input.billingCycle;
    contract.billingAnchor = boundary;
    await saveContract(tx, contract);
    await deps.schedule.ensureInvoices(tx, contract.id);
    return {
      kind: 'BILLING_CYCLE_CHANGED',
      effectiveAt: boundary,
      details: { fromCycle: from, toCycle: input.billingCycle },
      crmType: 'Billing Change',
      crmDescription: `Billing cycle ${from} → ${input.billingCycle} from ${boundary.toISOString()}`,
    };
  };
}

/** Turns auto-renew on or off; only a fixed-term contract has a term to renew. */
export function autoRenewChange(input: SetAutoRenewInput): ApplyChange {
  return async (tx, contract) => {
    if (!contract.endDate) {
      throw conflict(
        `Contract ${contract.id} is evergreen (no end date): it has no term to renew`,
        'enabled',
      );
    }
    // A notice period binds the customer: past the deadline only an operator (API key) may stop the renewal.
    const deadline = noticeDeadline(contract);
    if (
      contract.autoRenew &&
      !input.enabled &&
      tx.caller.kind === 'PORTAL' &&
      deadline &&
      tx.now() >= deadline
    ) {
      throw conflict(
        `Contract ${contract.id} renews on ${formatCalendarDate(contractEndExclusive(contract.endDate)!)}; ` +
          `its ${contract.renewalNoticeDays}-day notice period began on ${formatCalendarDate(deadline)}, ` +
          'so auto-renew can no longer be turned off here: contact your account manager',
        'enabled',
      );
    }
    const from = contract.autoRenew;
    contract.autoRenew = input.enabled;
    await saveContract(tx, contract);
    return {
      kind: input.enabled ? 'AUTO_RENEW_ENABLED' : 'AUTO_RENEW_DISABLED',
      effectiveAt: tx.now(),
      details: {
        from,
        to: input.enabled,
        renewsOn: input.enabled ? contractEndExclusive(contract.endDate)!.toISOString() : null,
      },
      crmType: 'Auto-Renew Change',
      crmDescription: input.enabled ? 'Auto-renew turned on' : 'Auto-renew turned off',
    };
  };
}
