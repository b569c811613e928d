import { crmChanges } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import {
  addMonthsClamped,
  contractEndExclusive,
  cycleMonths,
  formatCalendarDate,
} from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { PlanEntity } from '../../entities/plan.entity';
import type { CrmOutboxService } from './crm-outbox.service';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';

/** Salesforce Order.Type of each self-serve change (a picklist on the Order; the description says the rest). */
export type CrmOrderType =
  | 'New Business'
  | 'Upgrade'
  | 'Downgrade'
  | 'Plan Change'
  | 'Add-On'
  | 'Add-On Removal'
  | 'Upsell'
  | 'Downsell'
  | 'Billing Change'
  | 'Cancellation'
  | 'Renewal'
  | 'Auto-Renew Change';

export interface CrmAmendmentNote {
  /** The amendment id: the Order's external id, so each change is one Order in the CRM. */
  amendmentId: string;
  type: CrmOrderType;
  effectiveAt: Date;
  description: string;
}

/**
 * Mirrors self-serve changes into the CRM through the connector's transactional outbox. Called inside the
 * change's transaction, so the outbox rows commit or roll back with it; a no-op when the environment has no
 * Salesforce connection (or it was disconnected). Each change writes the Account and the Contract's full
 * state (pending rows collapse to the latest) and one Order describing the change.
 */
export class SelfServeCrmSync {
  constructor(
    private readonly outbox: CrmOutboxService,
    private readonly connections: Pick<SalesforceConnectionQueries, 'isConnected'>,
  ) {}

  async isConnected(tx: RequestContext): Promise<boolean> {
    return this.connections.isConnected(tx);
  }

  async contractChanged(
    tx: RequestContext,
    contract: ContractEntity,
    note: CrmAmendmentNote,
  ): Promise<boolean> {
    if (!(await this.isConnected(tx))) return false;
    const customer = await tx
      .repo(CustomerEntity)
      .findOneOrFail({ where: { id: contract.customerId, environmentId: tx.environmentId } });
    const plan = await tx
      .repo(PlanEntity)
      .findOne({ where: { id: contract.planId, environmentId: tx.environmentId } });
    // A customer with a Salesforce Account is written by that Account's Id, and its records hang on it.
    const salesforceAccountId = customer.salesforceAccountId;
    await this.outbox.enqueue(
      tx,
      crmChanges.account({ customerId: customer.id, name: customer.name, salesforceAccountId }),
    );
    await this.outbox.enqueue(
      tx,
      crmChanges.contract({
        contractId: contract.id,
        customerId: customer.id,
        salesforceAccountId,
        startDate: formatCalendarDate(contract.startDate),
        termMonths: termMonths(contract),
        status: 'Activated',
        description: describeContract(contract, plan?.name ?? contract.planId),
      }),
    );
    await this.outbox.enqueue(
      tx,
      crmChanges.order({
        orderId: note.amendmentId,
        customerId: customer.id,
        salesforceAccountId,
        contractId: contract.id,
        effectiveDate: formatCalendarDate(note.effectiveAt),
        type: note.type,
        description: note.description.slice(0, 2000),
      }),
    );
    return true;
  }
}

/** Whole months of the term (rounded up); an evergreen contract reports one billing cycle. */
export function termMonths(contract: Pick<ContractEntity, 'startDate' | 'endDate' | 'billingCycle'>): number {
  const end = contractEndExclusive(contract.endDate);
  if (!end) return Math.max(1, cycleMonths(contract.billingCycle)); // a weekly cycle reports 1
  let months = 0;
  while (addMonthsClamped(contract.startDate, months).getTime() < end.getTime()) months++;
  return Math.max(1, months);
}

function describeContract(contract: ContractEntity, planName: string): string {
  const parts = [`Plan: ${planName}`, `Billing: ${contract.billingCycle}`];
  if (contract.endDate) parts.push(`Last day: ${formatCalendarDate(contract.endDate)}`);
  parts.push(contract.autoRenew ? 'Auto-renews' : 'Does not auto-renew');
  return parts.join(' · ');
}
