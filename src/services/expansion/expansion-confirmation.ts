import type { RequestContext } from '../../context';
import { AppError, badInput } from '../../domain/errors';
import { addDays, contractEndExclusive, formatCalendarDate, startOfUtcDay } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { ExpansionRequestEntity } from '../../entities/expansion-request.entity';
import { amendmentSourceOf } from '../common';
import { actorOf, insertAmendment, type ContractAmendmentService } from '../contracts';

export interface ExpansionDeal {
  opportunityId: string | null;
  /** The customer the negotiated contract is for. */
  customerId: string;
  /** The negotiated contract's first day. */
  startDate: Date;
  /** Unexpired promotional credits of the self-serve contract move to the negotiated one (default). */
  carryOverPromotionalCredits: boolean;
}

export interface ExpansionIssue {
  code: string;
  field: string;
  message: string;
  blocking: boolean;
}

/** Completes an expansion once the negotiated contract exists. */
export type FinishExpansion = (newContract: ContractEntity) => Promise<void>;

/**
 * Confirming the won deal of an expansion request replaces the self-serve contract by the negotiated one,
 * in the confirmation's transaction: the self-serve contract ends the day before the new start (its
 * current period invoice is cut there, so flat fees and seats are prorated and nothing is billed twice for
 * the same days), and its unexpired promotional credits carry over to the new contract unless ops said
 * otherwise (they then end with the self-serve contract, as on any cancellation).
 */
export class ExpansionConfirmation {
  constructor(private readonly amendments: Pick<ContractAmendmentService, 'cancel'>) {}

  /**
   * What confirming an expansion's draft would refuse, shown on the draft beforehand (naming draft fields):
   * the contract must be for the customer who asked, and start after today (the self-serve contract cannot
   * end in the past).
   */
  issues(
    ctx: RequestContext,
    request: ExpansionRequestEntity,
    draft: { matchedCustomerId: string | null; contractStart: string | null },
  ): ExpansionIssue[] {
    const issues: ExpansionIssue[] = [];
    if (draft.matchedCustomerId !== request.customerId)
      issues.push({
        code: 'EXPANSION_CUSTOMER_MISMATCH',
        field: 'customer',
        message: `This deal expands customer ${request.customerId}'s self-serve contract; match that customer`,
        blocking: true,
      });
    const today = formatCalendarDate(startOfUtcDay(ctx.now()));
    if (draft.contractStart && draft.contractStart <= today)
      issues.push({
        code: 'EXPANSION_START_NOT_AFTER_TODAY',
        field: 'contractStart',
        message:
          `The self-serve contract ends the day before the negotiated start, which must be after today (${today}); ` +
          'it cannot end in the past',
        blocking: true,
      });
    return issues;
  }

  /**
   * Before the negotiated contract is created (a customer may not have two contracts pricing the same meter
   * over the same days): when the deal is an expansion's, ends the self-serve contract the day before the
   * new start and returns what completes the expansion once the new contract exists; else null.
   */
  async begin(tx: RequestContext, deal: ExpansionDeal): Promise<FinishExpansion | null> {
    if (!deal.opportunityId) return null;
    const request = await tx.repo(ExpansionRequestEntity).findOne({
      where: { environmentId: tx.environmentId, opportunityId: deal.opportunityId, status: 'OPEN' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!request) return null;
    if (request.customerId !== deal.customerId)
      throw badInput(
        'draft.customer',
        `This deal expands customer ${request.customerId}'s self-serve contract; confirm it for that customer`,
      );
    const selfServe = await tx
      .repo(ContractEntity)
      .findOneOrFail({ where: { id: request.contractId, environmentId: tx.environmentId } });
    const newStart = deal.startDate;
    const lastDay = addDays(newStart, -1);
    // Read before the end caps them at the end date.
    const grants = await tx.repo(CreditGrantEntity).find({
      where: {
        environmentId: tx.environmentId,
        contractId: selfServe.id,
        type: 'PROMOTIONAL',
        status: 'ACTIVE',
      },
    });
    const end = contractEndExclusive(selfServe.endDate);
    const stillRunning = selfServe.status !== 'CANCELLED' && (!end || end.getTime() > newStart.getTime());
    if (stillRunning) await this.endSelfServe(tx, selfServe.id, request.id, lastDay);

    return async (newContract) => {
      // Carried over: the grant keeps its own expiry and now belongs to the negotiated contract.
      const carried: string[] = [];
      if (deal.carryOverPromotionalCredits) {
        for (const grant of grants) {
          const unexpired = grant.expiresAt === null || grant.expiresAt.getTime() > newStart.getTime();
          if (!unexpired || grant.effectiveAt.getTime() >= newStart.getTime()) continue;
          await tx
            .repo(CreditGrantEntity)
            .update(
              { id: grant.id, status: 'ACTIVE' },
              { contractId: newContract.id, expiresAt: grant.expiresAt },
            );
          carried.push(grant.id);
        }
      }
      await insertAmendment(tx, selfServe, {
        kind: 'EXPANDED',
        source: amendmentSourceOf(tx.caller),
        actor: actorOf(tx.caller),
        effectiveAt: newStart,
        details: {
          operation: 'confirmContractDraft',
          expansionRequestId: request.id,
          newContractId: newContract.id,
          lastDay: stillRunning ? formatCalendarDate(lastDay) : null,
          carriedOverCreditGrants: carried,
        },
        idempotencyKey: null,
      });
      await tx
        .repo(ExpansionRequestEntity)
        .update(
          { id: request.id },
          { status: 'CONFIRMED', newContractId: newContract.id, updatedAt: tx.now() },
        );
    };
  }

  /** Ends the self-serve contract on `lastDay` (a cancellation on that date: the invoice holding it is cut). */
  private async endSelfServe(tx: RequestContext, contractId: string, requestId: string, lastDay: Date) {
    try {
      await this.amendments.cancel(tx, {
        contractId,
        timing: 'ON_DATE',
        date: lastDay,
        idempotencyKey: `expansion:${requestId}`,
      });
    } catch (error) {
      // The reviewer sets the negotiated start on the draft: name that field.
      if (error instanceof AppError && (error.field === 'date' || error.field === 'contractId'))
        throw new AppError(
          error.code,
          `The self-serve contract ${contractId} cannot end on ${formatCalendarDate(lastDay)}, the day before ` +
            `the negotiated start: ${error.message}`,
          'draft.contractStart',
        );
      throw error;
    }
  }
}
