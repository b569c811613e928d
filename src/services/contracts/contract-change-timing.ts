import type { RequestContext } from '../../context';
import { badInput, conflict } from '../../domain/errors';
import { contractEndExclusive, formatCalendarDate } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import type { ContractPeriodInvoices } from '../invoicing';
import type { ChangeTiming, Timed } from './contract-change-inputs';

export function checkTimingDate(timing: ChangeTiming, date: Date | null | undefined): void {
  const given = date !== null && date !== undefined;
  if (timing === 'ON_DATE' && !given) throw badInput('date', 'is required when timing is ON_DATE');
  if (timing !== 'ON_DATE' && given) throw badInput('date', 'is only used when timing is ON_DATE');
  if (given && (!(date instanceof Date) || Number.isNaN(date.getTime())))
    throw badInput('date', 'must be a date-time');
}

/** When a contract change takes effect, checked against the term and the billing periods already final. */
export class ContractChangeTiming {
  constructor(private readonly periods: ContractPeriodInvoices) {}

  /** The instant a timed change takes effect, checked against the term and the finalized periods. */
  async resolveInstant(tx: RequestContext, contract: ContractEntity, input: Timed): Promise<Date> {
    const timing = input.timing ?? 'IMMEDIATE';
    checkTimingDate(timing, input.date);
    const now = tx.now();
    const start = contract.startDate;
    let at: Date;
    if (timing === 'IMMEDIATE') at = now.getTime() < start.getTime() ? start : now;
    else if (timing === 'END_OF_PERIOD') at = await this.currentPeriodEnd(tx, contract, now);
    else {
      at = input.date!;
      if (at.getTime() < start.getTime()) {
        throw badInput('date', `is before the contract's start (${formatCalendarDate(start)})`);
      }
    }
    const end = contractEndExclusive(contract.endDate);
    if (end && at.getTime() >= end.getTime()) {
      throw badInput(
        timing === 'ON_DATE' ? 'date' : 'timing',
        `Contract ${contract.id} ends on ${formatCalendarDate(contract.endDate!)}; the change would take effect after it`,
      );
    }
    await this.rejectFinalizedAfter(tx, contract, at, timing === 'ON_DATE' ? 'date' : 'timing');
    return at;
  }

  /** End (exclusive) of the billing period holding `at`: its pre-generated invoice, else the schedule. */
  async currentPeriodEnd(tx: RequestContext, contract: ContractEntity, at: Date): Promise<Date> {
    const end = await this.periods.periodEndAt(tx, contract, at);
    if (!end) {
      const t = at.getTime() < contract.startDate.getTime() ? contract.startDate : at;
      throw conflict(`Contract ${contract.id} has no billing period at ${t.toISOString()}`, 'timing');
    }
    return end;
  }

  /** A change effective at `at` may not touch a period whose invoice is already final. */
  async rejectFinalizedAfter(
    tx: RequestContext,
    contract: ContractEntity,
    at: Date,
    field: string,
  ): Promise<void> {
    const frozen = await this.periods.finalizedEndingAfter(tx, contract.id, at);
    if (frozen) {
      throw conflict(
        `${at.toISOString()} falls in a finalized billing period (invoice ${frozen.number ?? frozen.id}, ` +
          `${frozen.periodStart.toISOString()} – ${frozen.periodEnd.toISOString()}); changes may only take effect ` +
          'in periods that are still draft',
        field,
      );
    }
  }
}
