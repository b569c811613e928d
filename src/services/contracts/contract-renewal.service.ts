import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  addDays,
  addMonthsClamped,
  contractEndExclusive,
  daysBetween,
  formatCalendarDate,
  startOfUtcDay,
} from '../../domain/periods';
import { ContractAmendmentEntity } from '../../entities/contract-amendment.entity';
import { ContractEntity } from '../../entities/contract.entity';
import type { PubSub } from '../common';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';
import type { SelfServeCrmSync } from '../crm';
import type { ContractPeriodInvoices, InvoiceScheduleService } from '../invoicing';
import { announceContractChange, insertAmendment, saveContract } from './contract-amendment-records';

const RENEWAL_ACTOR = 'contract-renewal';

/** A contract due for renewal, with what the worker needs to build its context. */
export interface DueRenewal {
  id: string;
  environmentId: string;
  organizationId: string;
}

/**
 * Auto-renewal: a contract whose term is over continues into a new term. Run by the renewal worker, and
 * lazily before any change to the contract.
 */
export class ContractRenewalService {
  constructor(
    private readonly schedule: InvoiceScheduleService,
    private readonly periods: ContractPeriodInvoices,
    private readonly crm: SelfServeCrmSync,
    private readonly pubsub: PubSub,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {}

  /**
   * Contracts (any environment) with auto-renew on whose term is over: the renewal worker renews them.
   * `end_date` is the inclusive last day at 00:00Z, so the term is over once it is before today.
   */
  async findDueForRenewal(ctx: RequestContext, limit: number): Promise<DueRenewal[]> {
    return (await ctx.manager.query(
      `SELECT c.id AS id, c.environment_id AS environmentId, e.organization_id AS organizationId
         FROM contracts c JOIN environments e ON e.id = c.environment_id
        WHERE c.status = 'ACTIVE' AND c.auto_renew = TRUE AND c.end_date IS NOT NULL AND c.end_date < ?
        ORDER BY c.end_date, c.id LIMIT ${Number(limit)}`,
      [startOfUtcDay(ctx.now())],
    )) as DueRenewal[];
  }

  /** Renews one contract if its term is over (the worker's step). */
  async renew(ctx: RequestContext, contractId: string): Promise<number> {
    return withTransaction(ctx, async (tx) => {
      const contract = await tx.repo(ContractEntity).findOne({
        where: { id: contractId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      return contract ? this.renewIfDue(tx, contract) : 0;
    });
  }

  /**
   * A renewed term continues the SAME contract: the end date moves by the length of the term that ended
   * (whole months when it was whole months, else days), the schedule continues from the same anchor and the
   * new term's invoices are pre-generated. Terms missed while nothing ran are renewed one after another.
   * The contract row must be locked by the caller.
   */
  async renewIfDue(tx: RequestContext, contract: ContractEntity): Promise<number> {
    if (!contract.autoRenew || !contract.endDate || contract.status !== 'ACTIVE') return 0;
    let renewed = 0;
    for (let end = contractEndExclusive(contract.endDate)!; end.getTime() <= tx.now().getTime();) {
      const last = await tx.repo(ContractAmendmentEntity).findOne({
        where: { contractId: contract.id, environmentId: tx.environmentId, kind: 'RENEWED' },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      const termStart = last ? new Date(String(last.details.termStart)) : contract.startDate;
      const nextEnd = nextTermEnd(termStart, end);
      const previousLastDay = contract.endDate;
      contract.endDate = addDays(nextEnd, -1);
      await saveContract(tx, contract);
      await this.periods.realignDraftPeriodEnds(tx, contract);
      await this.schedule.ensureInvoices(tx, contract.id);
      const amendment = await insertAmendment(tx, contract, {
        kind: 'RENEWED',
        source: 'SYSTEM',
        actor: `system:${RENEWAL_ACTOR}`,
        effectiveAt: end,
        details: {
          termStart: end.toISOString(),
          previousLastDay: formatCalendarDate(previousLastDay),
          newLastDay: formatCalendarDate(contract.endDate),
        },
        idempotencyKey: null,
      });
      await this.crm.contractChanged(tx, contract, {
        amendmentId: amendment.id,
        type: 'Renewal',
        effectiveAt: end,
        description: `Renewed until ${formatCalendarDate(contract.endDate)}`,
      });
      await this.webhooks.record(tx, 'contract.renewed', contract.id);
      announceContractChange(tx, this.pubsub, contract);
      renewed++;
      end = nextEnd;
    }
    return renewed;
  }
}

/** The exclusive end of the term after [termStart, end): the same number of whole months, else of days. */
export function nextTermEnd(termStart: Date, end: Date): Date {
  for (let months = 1; months <= 1200; months++) {
    const candidate = addMonthsClamped(termStart, months).getTime();
    if (candidate === end.getTime()) return addMonthsClamped(end, months);
    if (candidate > end.getTime()) break;
  }
  return addDays(end, Math.max(1, daysBetween(termStart, end)));
}
