import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import type { ContractEntity } from '../../entities/contract.entity';
import { PricingEntity } from '../../entities/pricing.entity';

/**
 * The effective-dated contract items as changes rewrite them: old items end at the change instant and new
 * ones start there, so the invoice engine prices each side of it with no special case.
 */
export function activeAt(item: ContractItemEntity, at: Date): boolean {
  return (
    item.startsAt.getTime() <= at.getTime() && (item.endsAt === null || item.endsAt.getTime() > at.getTime())
  );
}

/**
 * Changes are made in time order: one taking effect before a change already scheduled (a plan change at the
 * end of the period, say) would have to rewrite it. Refused with the instant to wait for.
 */
export function rejectLaterChanges(items: readonly ContractItemEntity[], at: Date): void {
  const later = items
    .flatMap((i) => [i.startsAt, i.endsAt])
    .filter((t): t is Date => t !== null && t.getTime() > at.getTime())
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (later) {
    throw conflict(
      `Another change to this contract takes effect at ${later.toISOString()}; changes must take effect in order ` +
        '(choose ON_DATE at or after it)',
      'timing',
    );
  }
}

export function nextPosition(items: readonly ContractItemEntity[]): number {
  return items.reduce((max, i) => Math.max(max, i.position), 0) + 1;
}

/** Ends an item at `at` (an item that would not have started by then is removed). */
export async function endItem(tx: RequestContext, item: ContractItemEntity, at: Date): Promise<void> {
  if (item.startsAt.getTime() >= at.getTime()) {
    await tx.repo(ContractItemEntity).delete({ id: item.id });
    return;
  }
  item.endsAt = at;
  await tx.repo(ContractItemEntity).update({ id: item.id }, { endsAt: at });
}

export async function insertItems(
  tx: RequestContext,
  contract: ContractEntity,
  items: Array<
    Pick<ContractItemEntity, 'planId' | 'pricingId' | 'position' | 'quantity' | 'isAddOn' | 'startsAt'>
  >,
): Promise<void> {
  if (!items.length) return;
  const now = tx.now();
  await tx.repo(ContractItemEntity).insert(
    items.map((item) =>
      tx.repo(ContractItemEntity).create({
        ...item,
        id: newId('cti', now.getTime()),
        environmentId: tx.environmentId,
        contractId: contract.id,
        endsAt: null,
        createdAt: now,
      }),
    ),
  );
}

export async function getPricing(tx: RequestContext, pricingId: string): Promise<PricingEntity> {
  const pricing = await tx
    .repo(PricingEntity)
    .findOne({ where: { id: pricingId, environmentId: tx.environmentId } });
  if (!pricing) throw notFound('Pricing', pricingId, 'pricingId');
  return pricing;
}

export async function pricingsById(tx: RequestContext, ids: string[]): Promise<Map<string, PricingEntity>> {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await tx.repo(PricingEntity).find({ where: { id: In(unique), environmentId: tx.environmentId } })
    : [];
  return new Map(rows.map((p) => [p.id, p]));
}
