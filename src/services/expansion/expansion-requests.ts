import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { contractEndExclusive, formatCalendarDate } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { ExpansionRequestEntity } from '../../entities/expansion-request.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { amendmentSourceOf, optionalText } from '../common';
import { actorOf, insertAmendment } from '../contracts';
import type { ExpansionCrmSync } from '../crm';

export const NOTE_MAX = 2000;

/**
 * A self-serve customer asks to talk to sales from the product. The request is recorded on the contract's
 * history and pushed to Salesforce as an Opportunity on the customer's Account, in one transaction.
 * Asking again while a request is open returns that request: the sales team gets one Opportunity.
 */
export class ExpansionRequestService {
  constructor(private readonly crm: ExpansionCrmSync) {}

  async request(
    ctx: RequestContext,
    contractId: string,
    note: string | null | undefined,
  ): Promise<{ request: ExpansionRequestEntity; created: boolean }> {
    const text = optionalText(note, 'note', NOTE_MAX);
    return withTransaction(ctx, async (tx) => {
      const contract = await tx.repo(ContractEntity).findOne({
        where: { id: contractId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contract || (tx.portalCustomerId && contract.customerId !== tx.portalCustomerId))
        throw notFound('Contract', contractId, 'contractId');
      if (contract.source !== 'SELF_SERVE')
        throw conflict(
          `Contract ${contract.id} is not self-serve; its account is handled by sales`,
          'contractId',
        );
      const end = contractEndExclusive(contract.endDate);
      if (contract.status === 'CANCELLED' || (end && end.getTime() <= tx.now().getTime()))
        throw conflict(
          `Contract ${contract.id} is ${contract.status === 'CANCELLED' ? 'cancelled' : `ended (${formatCalendarDate(contract.endDate!)})`}`,
          'contractId',
        );
      const open = await tx.repo(ExpansionRequestEntity).findOne({
        where: { environmentId: tx.environmentId, contractId: contract.id, status: 'OPEN' },
      });
      if (open) return { request: open, created: false };

      const now = tx.now();
      const request = tx.repo(ExpansionRequestEntity).create({
        id: newId('exp', now.getTime()),
        environmentId: tx.environmentId,
        contractId: contract.id,
        customerId: contract.customerId,
        note: text,
        status: 'OPEN',
        opportunityId: null,
        newContractId: null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.repo(ExpansionRequestEntity).insert(request);
      await insertAmendment(tx, contract, {
        kind: 'EXPANSION_REQUESTED',
        source: amendmentSourceOf(tx.caller),
        actor: actorOf(tx.caller),
        effectiveAt: now,
        details: { operation: 'requestExpansion', expansionRequestId: request.id, note: text },
        idempotencyKey: null,
      });
      const customer = await tx
        .repo(CustomerEntity)
        .findOneOrFail({ where: { id: contract.customerId, environmentId: tx.environmentId } });
      const plan = await tx
        .repo(PlanEntity)
        .findOne({ where: { id: contract.planId, environmentId: tx.environmentId } });
      await this.crm.requested(tx, request, customer, plan?.name ?? contract.planId);
      return { request, created: true };
    });
  }

  /** The expansion requests of a contract, newest first. */
  async forContract(ctx: RequestContext, contractId: string): Promise<ExpansionRequestEntity[]> {
    return ctx.repo(ExpansionRequestEntity).find({
      where: { environmentId: ctx.environmentId, contractId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }
}
