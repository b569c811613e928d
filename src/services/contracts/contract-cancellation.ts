import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { addDays, contractEndExclusive, formatCalendarDate, startOfUtcDay } from '../../domain/periods';
import type { ContractItemEntity } from '../../entities/contract-item.entity';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import type { CreditService } from '../credits';
import type { ContractPeriodInvoices } from '../invoicing';
import { saveContract } from './contract-amendment-records';
import type { ApplyChange, CancelContractInput } from './contract-change-inputs';
import { checkTimingDate, type ContractChangeTiming } from './contract-change-timing';
import { endItem } from './contract-item-changes';

export interface CancellationDeps {
  timing: ContractChangeTiming;
  periods: ContractPeriodInvoices;
  credits: Pick<CreditService, 'voidGrant'>;
}

/** The ids of the items' pricings that bill usage (the others are flat fees). */
async function usagePricingIds(
  tx: RequestContext,
  items: readonly ContractItemEntity[],
): Promise<Set<string>> {
  if (!items.length) return new Set();
  const pricings = await tx
    .repo(PricingEntity)
    .findBy({ id: In([...new Set(items.map((i) => i.pricingId))]), environmentId: tx.environmentId });
  return new Set(pricings.filter((p) => p.kind === 'USAGE').map((p) => p.id));
}

/**
 * Cancels the contract: its last day becomes today (IMMEDIATE; usage stops at that instant, fees at the
 * end of the day), the last day of the current period
 * (END_OF_PERIOD) or `date` (ON_DATE). The invoice holding the end is cut there (it covers usage and
 * prorated fees to the end), later drafts are voided, auto-renew is turned off, and promotional credits end
 * with the contract (their expiry is capped at the end, so the final invoice may still draw on them;
 * grants that could never be drawn are voided now). Cancelling before the start cancels outright.
 */
export function cancellation(deps: CancellationDeps, input: CancelContractInput): ApplyChange {
  return async (tx, contract, items) => {
    const now = tx.now();
    const timing = input.timing ?? 'IMMEDIATE';
    checkTimingDate(timing, input.date);
    let endExclusive: Date;
    if (timing === 'IMMEDIATE') {
      endExclusive =
        now.getTime() < contract.startDate.getTime() ? contract.startDate : addDays(startOfUtcDay(now), 1);
    } else if (timing === 'END_OF_PERIOD') {
      endExclusive = await deps.timing.currentPeriodEnd(tx, contract, now);
    } else {
      endExclusive = addDays(startOfUtcDay(input.date!), 1);
      if (endExclusive.getTime() <= startOfUtcDay(now).getTime()) {
        throw badInput(
          'date',
          'is the last day covered and may not be before today (no retroactive cancellation)',
        );
      }
    }
    const currentEnd = contractEndExclusive(contract.endDate);
    if (currentEnd && endExclusive.getTime() > currentEnd.getTime()) {
      throw badInput(
        'date',
        `Contract ${contract.id} already ends on ${formatCalendarDate(contract.endDate!)}`,
      );
    }
    await deps.timing.rejectFinalizedAfter(tx, contract, endExclusive, 'date');
    const outright = endExclusive.getTime() <= contract.startDate.getTime();
    const lastDay = addDays(endExclusive, -1);

    if (outright) {
      contract.status = 'CANCELLED';
    } else {
      contract.endDate = lastDay;
      // Usage stops at the very instant of an immediate cancellation; fees run to the end of the last day.
      const usageEnd = timing === 'IMMEDIATE' ? now : endExclusive;
      const usagePricings = await usagePricingIds(tx, items);
      for (const item of items) {
        const end = usagePricings.has(item.pricingId) ? usageEnd : endExclusive;
        if (item.endsAt === null || item.endsAt.getTime() > end.getTime()) await endItem(tx, item, end);
      }
      await deps.periods.cutDraftAt(tx, contract.id, endExclusive);
    }
    contract.autoRenew = false;
    await saveContract(tx, contract);
    const voidedInvoices = await deps.periods.voidDraftsFrom(
      tx,
      contract.id,
      outright ? new Date(0) : endExclusive,
    );

    const promos = await tx.repo(CreditGrantEntity).find({
      where: {
        environmentId: tx.environmentId,
        contractId: contract.id,
        type: 'PROMOTIONAL',
        status: 'ACTIVE',
      },
    });
    for (const grant of promos) {
      if (outright || grant.effectiveAt.getTime() >= endExclusive.getTime()) {
        await deps.credits.voidGrant(tx, grant.id);
      } else if (grant.expiresAt === null || grant.expiresAt.getTime() > endExclusive.getTime()) {
        // Capped, not voided: the final invoice (still a draft) may draw on them; the credit expiry worker
        // writes the remainder off (EXPIRY) once that invoice is final.
        await tx.repo(CreditGrantEntity).update({ id: grant.id }, { expiresAt: endExclusive });
      }
    }
    return {
      kind: 'CANCELLED',
      effectiveAt: endExclusive,
      details: {
        timing,
        lastDay: outright ? null : formatCalendarDate(lastDay),
        outright,
        voidedInvoices,
      },
      crmType: 'Cancellation',
      crmDescription: outright
        ? 'Cancelled before it started'
        : `Cancelled; last day covered ${formatCalendarDate(lastDay)}`,
    };
  };
}
