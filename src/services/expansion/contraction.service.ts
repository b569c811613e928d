import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { addDays, contractEndExclusive, formatCalendarDate } from '../../domain/periods';
import { ContractAmendmentEntity } from '../../entities/contract-amendment.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { ScheduledContractionEntity } from '../../entities/scheduled-contraction.entity';
import { amendmentSourceOf } from '../common';
import {
  actorOf,
  insertAmendment,
  type ContractAmendmentService,
  type ContractHistoryService,
  type ContractService,
} from '../contracts';
import type { SelfServeCrmSync } from '../crm';

/** When a contraction takes effect; only at the end of the sales-led term for now. */
export type ContractionEffective = 'END_OF_TERM';

export interface ScheduleContractionInput {
  contractId: string;
  planId: string;
  effective: ContractionEffective;
}

/**
 * Contraction: a sales-led contract that will not be renewed moves onto a self-serve plan at its end.
 * Scheduling it turns auto-renew off and creates the self-serve contract at once, starting the day after
 * the last day (so the portal, the draft invoices and the CRM show it ahead, and nothing has to run on the
 * day); cancelling it before then cancels that contract outright and restores auto-renew. Each step is one
 * transaction, recorded on both contracts' history and mirrored to the CRM (the sales-led Contract's end and
 * the new self-serve Order).
 */
export class ContractionService {
  constructor(
    private readonly contracts: Pick<ContractService, 'create'>,
    private readonly amendments: Pick<ContractAmendmentService, 'cancel'>,
    private readonly history: Pick<ContractHistoryService, 'findCancellation'>,
    private readonly crm: SelfServeCrmSync,
  ) {}

  async schedule(ctx: RequestContext, input: ScheduleContractionInput): Promise<ScheduledContractionEntity> {
    if (input.effective !== 'END_OF_TERM') throw badInput('effective', 'must be END_OF_TERM');
    return withTransaction(ctx, async (tx) => {
      const contract = await this.lock(tx, input.contractId);
      if (contract.source === 'SELF_SERVE')
        throw conflict(`Contract ${contract.id} is already self-serve`, 'contractId');
      const end = contractEndExclusive(contract.endDate);
      if (!end)
        throw conflict(
          `Contract ${contract.id} has no end date (evergreen); it has no term end to move at`,
          'contractId',
        );
      if (contract.status === 'CANCELLED' || end.getTime() <= tx.now().getTime())
        throw conflict(`Contract ${contract.id} has already ended`, 'contractId');
      if (await this.history.findCancellation(tx, contract.id))
        throw conflict(
          `Contract ${contract.id} was cancelled; it ends without renewal already`,
          'contractId',
        );
      if (await this.scheduled(tx, contract.id))
        throw conflict(`Contract ${contract.id} already has a contraction scheduled`, 'contractId');
      const [plan, current] = await Promise.all([
        tx.repo(PlanEntity).findOne({ where: { id: input.planId, environmentId: tx.environmentId } }),
        tx
          .repo(PlanEntity)
          .findOneOrFail({ where: { id: contract.planId, environmentId: tx.environmentId } }),
      ]);
      if (!plan) throw notFound('Plan', input.planId, 'planId');
      if (!plan.isPublic)
        throw badInput('planId', `Plan ${plan.name} is not offered in the self-serve catalog (not public)`);
      if (plan.currency !== current.currency)
        throw badInput(
          'planId',
          `Plan ${plan.name} bills in ${plan.currency}, the contract in ${current.currency}`,
        );

      const previousAutoRenew = contract.autoRenew;
      contract.autoRenew = false;
      contract.updatedAt = tx.now();
      await tx
        .repo(ContractEntity)
        .update({ id: contract.id }, { autoRenew: false, updatedAt: contract.updatedAt });
      const selfServe = await this.contracts.create(tx, {
        customerId: contract.customerId,
        planId: plan.id,
        startDate: end,
        source: 'SELF_SERVE',
      });
      const now = tx.now();
      const row = tx.repo(ScheduledContractionEntity).create({
        id: newId('ctn', now.getTime()),
        environmentId: tx.environmentId,
        contractId: contract.id,
        planId: plan.id,
        newContractId: selfServe.id,
        effectiveAt: end,
        status: 'SCHEDULED',
        previousAutoRenew,
        createdAt: now,
        updatedAt: now,
      });
      await tx.repo(ScheduledContractionEntity).insert(row);
      const lastDay = formatCalendarDate(addDays(end, -1));
      const amendment = await this.record(tx, contract, 'CONTRACTION_SCHEDULED', end, {
        contractionId: row.id,
        planId: plan.id,
        newContractId: selfServe.id,
        lastDay,
        previousAutoRenew,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: 'Cancellation',
        effectiveAt: end,
        description: `Not renewed: ends on ${lastDay}, then continues self-serve on ${plan.name}`,
      });
      const created = await this.createdAmendment(tx, selfServe.id);
      await this.crm.contractChanged(tx, selfServe, {
        amendmentId: created?.id ?? newId('ord', now.getTime()),
        type: 'Downgrade',
        effectiveAt: end,
        description: `Self-serve on ${plan.name} after the sales-led contract ${contract.id} ends`,
      });
      return row;
    });
  }

  /** Cancels the scheduled contraction before it takes effect: the sales-led contract is as before. */
  async cancel(ctx: RequestContext, contractId: string): Promise<ScheduledContractionEntity> {
    return withTransaction(ctx, async (tx) => {
      const contract = await this.lock(tx, contractId);
      const row = await this.scheduled(tx, contract.id);
      if (!row) throw conflict(`Contract ${contract.id} has no contraction scheduled`, 'contractId');
      if (row.effectiveAt.getTime() <= tx.now().getTime())
        throw conflict(
          `The contraction of contract ${contract.id} took effect on ${formatCalendarDate(row.effectiveAt)}`,
          'contractId',
        );
      // Before its start, cancelling the self-serve contract cancels it outright (its draft invoices voided).
      await this.amendments.cancel(tx, {
        contractId: row.newContractId,
        timing: 'IMMEDIATE',
        idempotencyKey: `contraction-cancel:${row.id}`,
      });
      contract.autoRenew = row.previousAutoRenew;
      contract.updatedAt = tx.now();
      await tx
        .repo(ContractEntity)
        .update({ id: contract.id }, { autoRenew: contract.autoRenew, updatedAt: contract.updatedAt });
      row.status = 'CANCELLED';
      row.updatedAt = tx.now();
      await tx
        .repo(ScheduledContractionEntity)
        .update({ id: row.id }, { status: row.status, updatedAt: row.updatedAt });
      const amendment = await this.record(tx, contract, 'CONTRACTION_CANCELLED', tx.now(), {
        contractionId: row.id,
        cancelledContractId: row.newContractId,
        autoRenew: contract.autoRenew,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: 'Auto-Renew Change',
        effectiveAt: tx.now(),
        description: `The move to self-serve was cancelled; ${contract.autoRenew ? 'auto-renews' : 'does not auto-renew'}`,
      });
      return row;
    });
  }

  /** The contraction scheduled on a contract, if any (portal tokens read their own contracts' only). */
  async scheduledFor(ctx: RequestContext, contractId: string): Promise<ScheduledContractionEntity | null> {
    return this.scheduled(ctx, contractId);
  }

  private scheduled(ctx: RequestContext, contractId: string): Promise<ScheduledContractionEntity | null> {
    return ctx.repo(ScheduledContractionEntity).findOne({
      where: { environmentId: ctx.environmentId, contractId, status: 'SCHEDULED' },
    });
  }

  private async lock(tx: RequestContext, contractId: string): Promise<ContractEntity> {
    const contract = await tx.repo(ContractEntity).findOne({
      where: { id: contractId, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!contract) throw notFound('Contract', contractId, 'contractId');
    return contract;
  }

  private record(
    tx: RequestContext,
    contract: ContractEntity,
    kind: string,
    effectiveAt: Date,
    details: Record<string, unknown>,
  ): Promise<ContractAmendmentEntity> {
    return insertAmendment(tx, contract, {
      kind,
      source: amendmentSourceOf(tx.caller),
      actor: actorOf(tx.caller),
      effectiveAt,
      details: {
        operation: kind === 'CONTRACTION_SCHEDULED' ? 'scheduleContraction' : 'cancelContraction',
        ...details,
      },
      idempotencyKey: null,
    });
  }

  private createdAmendment(tx: RequestContext, contractId: string): Promise<ContractAmendmentEntity | null> {
    return tx.repo(ContractAmendmentEntity).findOne({
      where: { environmentId: tx.environmentId, contractId, kind: 'CREATED' },
    });
  }
}
