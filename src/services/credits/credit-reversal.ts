import type { RequestContext } from '../../context';
import { Decimal, ZERO } from '../../domain/money';
import type { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { CreditLedgerEntryEntity } from '../../entities/credit-ledger-entry.entity';
import type { ReversalInput, ReversalResult } from './credit-drawdown';
import {
  appendToGrant,
  publishBalanceChanged,
  readCustomerGrants,
  type LedgerEntryDraft,
} from './credit-ledger';
import type { PubSub } from '../common';

/** Dedupe key of the REVERSAL of a DEDUCTION (unique per grant, like the deduction's own key). */
export const reversalKey = (deductionKey: string) => `REVERSAL:${deductionKey}`;
/** Dedupe key of the write-off that follows a reversal onto a grant closed since the deduction. */
export const reversalCloseKey = (deductionKey: string) => `REVERSAL-CLOSE:${deductionKey}`;

/**
 * Gives a voided invoice's credits back: one REVERSAL entry (positive, the same cents) per DEDUCTION the
 * invoice's finalization wrote, on the same grant and naming the same line.
 *
 * Runs inside the void transaction and locks every grant of the customer first, in the order finalization's
 * drawdown uses (`readCustomerGrants`), so a void and a finalization of the same customer queue instead of
 * deadlocking, and `appendToGrant` moves balances read under that lock.
 *
 * A grant closed since the deduction stays closed: credits returned to an EXPIRED grant are written off at
 * once as breakage (an EXPIRY entry), to a VOIDED grant as a VOID entry. The customer never gets back credits
 * that would already have lapsed, and every invariant holds: remaining ≥ 0, cached remaining = ledger sum,
 * granted = (deducted − reversed) + expired + voided + remaining.
 *
 * Idempotent: deductions that already have their reversal are skipped, and the dedupe keys are unique per
 * grant in the database, so a repeat can never give the same cents back twice.
 */
export async function reverseDrawdown(
  tx: RequestContext,
  pubsub: PubSub,
  input: ReversalInput,
): Promise<ReversalResult> {
  if (!tx.transaction) throw new Error('reverseDrawdown must run inside the void transaction');
  // Locks first: the entries below are then read with no writer of this customer's grants in between.
  const grants = new Map(
    (await readCustomerGrants(tx, input.customerId, true)).map((grant) => [grant.id, grant]),
  );
  const entries = await tx.repo(CreditLedgerEntryEntity).find({
    where: { environmentId: tx.environmentId, invoiceId: input.invoiceId },
    order: { id: 'ASC' },
  });
  const reversed = new Set(
    entries.filter((e) => e.kind === 'REVERSAL').map((e) => `${e.grantId} ${e.dedupeKey}`),
  );
  const pending = entries.filter(
    (e) => e.kind === 'DEDUCTION' && !reversed.has(`${e.grantId} ${reversalKey(e.dedupeKey)}`),
  );

  const byGrant = new Map<string, CreditLedgerEntryEntity[]>();
  for (const deduction of pending) {
    byGrant.set(deduction.grantId, [...(byGrant.get(deduction.grantId) ?? []), deduction]);
  }
  let restoredCents = ZERO;
  let writtenOffCents = ZERO;
  const label = input.number ?? input.invoiceId;
  for (const [grantId, deductions] of byGrant) {
    const grant = grants.get(grantId);
    if (!grant) throw new Error(`grant ${grantId} of invoice ${input.invoiceId}'s deductions is missing`);
    const drafts = deductions.flatMap((deduction) => reversalDrafts(grant, deduction, label));
    await appendToGrant(tx, grant, drafts);
    const cents = deductions.reduce((sum, d) => sum.plus(d.amountCents.neg()), ZERO);
    if (grant.status === 'ACTIVE') restoredCents = restoredCents.plus(cents);
    else writtenOffCents = writtenOffCents.plus(cents);
  }
  if (pending.length) publishBalanceChanged(tx, pubsub, input.customerId, 'REVERSAL');
  return { restoredCents, writtenOffCents };
}

/** The REVERSAL of one deduction, followed by its write-off when the grant is no longer ACTIVE. */
function reversalDrafts(
  grant: CreditGrantEntity,
  deduction: CreditLedgerEntryEntity,
  label: string,
): LedgerEntryDraft[] {
  const cents = new Decimal(deduction.amountCents).neg();
  const line = {
    invoiceId: deduction.invoiceId,
    invoiceLineKey: deduction.invoiceLineKey,
    meterCode: deduction.meterCode,
    dimensions: deduction.dimensions,
  };
  const reversal: LedgerEntryDraft = {
    kind: 'REVERSAL',
    amountCents: cents,
    dedupeKey: reversalKey(deduction.dedupeKey),
    description: `Invoice ${label} voided: ${deduction.description}`,
    ...line,
  };
  if (grant.status === 'ACTIVE') return [reversal];
  const expired = grant.status === 'EXPIRED';
  return [
    reversal,
    {
      kind: expired ? 'EXPIRY' : 'VOID',
      amountCents: cents.neg(),
      dedupeKey: reversalCloseKey(deduction.dedupeKey),
      description: expired
        ? `Expired at ${grant.expiresAt?.toISOString()}: returned by voided invoice ${label}`
        : `Voided grant: returned by voided invoice ${label}`,
      ...line,
    },
  ];
}
