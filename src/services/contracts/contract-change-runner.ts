import type { RequestContext } from '../../context';
import { badInput, conflict, notFound } from '../../domain/errors';
import { contractEndExclusive, formatCalendarDate } from '../../domain/periods';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { amendmentSourceOf, runIdempotent, type IdempotentOutcome, type PubSub } from '../common';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';
import type { SelfServeCrmSync } from '../crm';
import { announceContractChange, insertAmendment, saveContract } from './contract-amendment-records';
import {
  CHANGE_TIMINGS,
  type ApplyChange,
  type ContractChangeResult,
  type Keyed,
  type Timed,
} from './contract-change-inputs';
import { checkTimingDate } from './contract-change-timing';
import type { ContractHistoryService } from './contract-history';
import type { ContractRenewalService } from './contract-renewal.service';
import { actorOf } from './contract.service';

/**
 * The frame every contract change runs in: ONE transaction holding the contract row lock, behind an
 * idempotency record; the contract is renewed first when due and refused when cancelled or ended; the
 * change is recorded as an amendment, mirrored to the CRM outbox in the same transaction, and announced to
 * live subscribers after commit.
 */
export class ContractChangeRunner {
  constructor(
    private readonly renewals: ContractRenewalService,
    private readonly history: ContractHistoryService,
    private readonly crm: SelfServeCrmSync,
    private readonly pubsub: PubSub,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {}

  async amend(
    ctx: RequestContext,
    operation: string,
    input: Keyed & Partial<Timed>,
    apply: ApplyChange,
  ): Promise<IdempotentOutcome<ContractChangeResult>> {
    const { idempotencyKey, ...request } = input;
    if (input.timing !== undefined && input.timing !== null && !CHANGE_TIMINGS.includes(input.timing)) {
      throw badInput('timing', `must be one of ${CHANGE_TIMINGS.join(', ')}`);
    }
    if ('timing' in input || 'date' in input) checkTimingDate(input.timing ?? 'IMMEDIATE', input.date);
    return runIdempotent(ctx, { key: idempotencyKey, operation, request }, async (tx) => {
      const contract = await this.lockForChange(tx, input.contractId);
      const items = await tx.repo(ContractItemEntity).find({
        where: { contractId: contract.id, environmentId: tx.environmentId },
        order: { position: 'ASC', startsAt: 'ASC' },
      });
      const spec = await apply(tx, contract, items);
      await saveContract(tx, contract);
      const amendment = await insertAmendment(tx, contract, {
        kind: spec.kind,
        source: amendmentSourceOf(tx.caller),
        actor: actorOf(tx.caller),
        effectiveAt: spec.effectiveAt,
        details: { operation, ...spec.details },
        idempotencyKey,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: spec.crmType,
        effectiveAt: spec.effectiveAt,
        description: spec.crmDescription,
      });
      await this.webhooks.record(
        tx,
        spec.kind === 'CANCELLED' ? 'contract.cancelled' : 'contract.amended',
        contract.id,
      );
      announceContractChange(tx, this.pubsub, contract);
      return { contractId: contract.id, amendmentId: amendment.id };
    });
  }

  /** Locks the contract and refuses changes to a cancelled or ended one (renewing it first when due). */
  private async lockForChange(tx: RequestContext, contractId: string): Promise<ContractEntity> {
    const contract = await tx.repo(ContractEntity).findOne({
      where: { id: contractId, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contract || (tx.portalCustomerId && contract.customerId !== tx.portalCustomerId)) {
      throw notFound('Contract', contractId, 'contractId');
    }
    await this.renewals.renewIfDue(tx, contract);
    if (contract.status === 'CANCELLED') {
      throw conflict(`Contract ${contract.id} is cancelled; it can no longer be changed`, 'contractId');
    }
    const cancellation = await this.history.findCancellation(tx, contract.id);
    if (cancellation) {
      throw conflict(
        `Contract ${contract.id} was cancelled on ${cancellation.createdAt.toISOString()} (last day ` +
          `${contract.endDate ? formatCalendarDate(contract.endDate) : 'none'}); it can no longer be changed`,
        'contractId',
      );
    }
    const end = contractEndExclusive(contract.endDate);
    if (end && end.getTime() <= tx.now().getTime()) {
      throw conflict(
        `Contract ${contract.id} ended on ${formatCalendarDate(contract.endDate!)}; it can no longer be changed`,
        'contractId',
      );
    }
    return contract;
  }
}
