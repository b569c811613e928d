import { Not } from 'typeorm';
import type { RequestContext } from '../../context';
import { endAction, MAX_RENEWAL_NOTICE_DAYS, type ContractEndAction } from '../../domain/contract-end';
import { badInput, conflict } from '../../domain/errors';
import { contractEndExclusive } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import type { ApplyChange, Keyed } from './contract-change-inputs';

export interface SetRenewalNoticeInput extends Keyed {
  /** Days before the end; null removes the notice period. */
  days: number | null;
}

export interface ContractEnd {
  atEnd: ContractEndAction | null;
  /** The contract that continues this one from the day after its last day (CONTRACTS_TO_PLAN). */
  continuedBy: ContractEntity | null;
}

/** Refused before anything is read: the column is a SMALLINT of at most a year. */
export function checkRenewalNoticeDays(days: number | null): void {
  if (days === null) return;
  if (!Number.isInteger(days) || days < 0 || days > MAX_RENEWAL_NOTICE_DAYS) {
    throw badInput('days', `must be a whole number of days from 0 to ${MAX_RENEWAL_NOTICE_DAYS}, or null`);
  }
}

/** Sets the notice period of a fixed-term contract (an amendment like any other change). */
export function renewalNoticeChange(input: SetRenewalNoticeInput): ApplyChange {
  return async (tx, contract) => {
    if (!contract.endDate) {
      throw conflict(
        `Contract ${contract.id} is evergreen (no end date): it has no term to give notice on`,
        'days',
      );
    }
    const from = contract.renewalNoticeDays;
    contract.renewalNoticeDays = input.days;
    await tx.repo(ContractEntity).update({ id: contract.id }, { renewalNoticeDays: input.days });
    return {
      kind: 'RENEWAL_NOTICE_CHANGED',
      effectiveAt: tx.now(),
      details: { from, to: input.days },
      crmType: 'Auto-Renew Change',
      crmDescription:
        input.days === null ? 'Notice period removed' : `Notice period: ${input.days} days before the end`,
    };
  };
}

/** What a contract does at its end, and the contract that continues it, if any. */
export class ContractEndReader {
  /** One lookup per contract and request: `atEnd` and `continuedBy` of the same contract share it. */
  private readonly memo = new WeakMap<RequestContext, Map<string, Promise<ContractEnd>>>();

  endOf(ctx: RequestContext, contract: ContractEntity): Promise<ContractEnd> {
    let perContract = this.memo.get(ctx);
    if (!perContract) this.memo.set(ctx, (perContract = new Map()));
    const key = `${contract.id}:${contract.endDate?.getTime() ?? ''}:${contract.autoRenew}`;
    let found = perContract.get(key);
    if (!found) {
      found = this.read(ctx, contract);
      perContract.set(key, found);
      found.catch(() => perContract.delete(key));
    }
    return found;
  }

  private async read(ctx: RequestContext, contract: ContractEntity): Promise<ContractEnd> {
    const end = contractEndExclusive(contract.endDate);
    const continuedBy = end
      ? await ctx.repo(ContractEntity).findOne({
          where: {
            environmentId: ctx.environmentId,
            customerId: contract.customerId,
            startDate: end,
            status: Not('CANCELLED'),
            id: Not(contract.id),
          },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : null;
    return { atEnd: endAction(contract, continuedBy !== null), continuedBy };
  }
}
