import type { RequestContext } from '../../context';
import { conflict } from '../../domain/errors';
import { planDrawdown } from '../../domain/credit-drawdown-plan';
import type { CreditDrawdown as CreditDrawdownPlan } from '../../domain/invoice-math';
import { fromMinorUnits, ZERO, type Decimal } from '../../domain/money';
import type { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { CreditLedgerEntryEntity } from '../../entities/credit-ledger-entry.entity';
import type {
  CreditDrawdown,
  DrawdownInput,
  DrawdownResult,
  ReversalInput,
  ReversalResult,
} from './credit-drawdown';
import {
  appendToGrant,
  publishBalanceChanged,
  readCustomerGrants,
  type LedgerEntryDraft,
} from './credit-ledger';
import { reverseDrawdown } from './credit-reversal';
import { CustomerBalanceLedger } from './customer-balance';
import type { PubSub } from '../common';

/**
 * The credits side of the invoice engine's CreditDrawdown seam.
 *
 * `apply` runs inside the finalization transaction. It locks every grant of the customer with
 * `SELECT … FOR UPDATE ORDER BY id` — one consistent order, so two finalizations of the same customer
 * queue behind each other instead of deadlocking — and computes from the balances read under that lock,
 * so two invoices can never spend the same cents. It writes one DEDUCTION per (grant, invoice line).
 */
export class CreditDrawdownService implements CreditDrawdown {
  private readonly ledger = new CustomerBalanceLedger();

  constructor(private readonly pubsub: PubSub) {}

  balance(ctx: RequestContext, customerId: string, currency: string): Promise<Decimal> {
    return this.ledger.balance(ctx, customerId, currency);
  }

  async spendBalance(
    ctx: RequestContext,
    invoice: { id: string; customerId: string; currency: string; number: string | null },
    amount: Decimal,
  ): Promise<void> {
    if (!amount.gt(0)) return;
    await this.ledger.record(ctx, {
      customerId: invoice.customerId,
      currency: invoice.currency,
      kind: 'APPLIED',
      amount: amount.neg(),
      invoiceId: invoice.id,
      description: `Applied to invoice ${invoice.number ?? invoice.id}`,
    });
  }

  async reverseBalance(
    ctx: RequestContext,
    invoice: { id: string; customerId: string; currency: string; number: string | null },
  ): Promise<void> {
    await this.ledger.reverseInvoice(ctx, invoice);
  }

  /** What would be applied now (live drafts). Read-only: no locks, no writes. */
  async preview(ctx: RequestContext, input: DrawdownInput): Promise<DrawdownResult> {
    const grants = await this.loadGrants(ctx, input, false);
    const plan = planDrawdown(input, grants);
    return this.toResult(input, grants, plan);
  }

  async apply(ctx: RequestContext, input: DrawdownInput): Promise<DrawdownResult> {
    if (!ctx.transaction) {
      throw new Error('CreditDrawdown.apply must run inside the finalization transaction');
    }
    const grants = await this.loadGrants(ctx, input, true);
    const already = await ctx.repo(CreditLedgerEntryEntity).count({
      where: { environmentId: ctx.environmentId, invoiceId: input.invoiceId, kind: 'DEDUCTION' },
    });
    if (already > 0) throw conflict(`Credits were already applied to invoice ${input.invoiceId}`);

    const plan = planDrawdown(input, grants);
    const linesByKey = new Map(input.lines.map((line) => [line.key, line]));
    const grantsById = new Map(grants.map((grant) => [grant.id, grant]));
    for (const deduction of plan.grants) {
      const grant = grantsById.get(deduction.grantId)!;
      const drafts: LedgerEntryDraft[] = deduction.lines.map(({ lineId, cents }) => {
        const line = linesByKey.get(lineId)!;
        return {
          kind: 'DEDUCTION',
          amountCents: cents.neg(),
          dedupeKey: `${input.invoiceId}:${line.key}`,
          description: line.description,
          invoiceId: input.invoiceId,
          invoiceLineKey: line.key,
          meterCode: line.meterCode,
          dimensions: line.dimensions,
        };
      });
      await appendToGrant(ctx, grant, drafts);
    }
    if (plan.appliedCents.gt(0)) publishBalanceChanged(ctx, this.pubsub, input.customerId, 'DEDUCTION');
    // appendToGrant moved each grant's remainingCents; the result reads the balances after the invoice.
    return this.toResult(input, grants, plan, true);
  }

  /** Gives back a voided invoice's deductions (see `reverseDrawdown`). */
  async reverse(ctx: RequestContext, input: ReversalInput): Promise<ReversalResult> {
    return reverseDrawdown(ctx, this.pubsub, input);
  }

  /**
   * The customer's ACTIVE grants in the invoice's currency. With `lock`, every grant row of the customer is
   * locked first, in the one order all multi-grant writers use (see `readCustomerGrants`), whatever its
   * currency or status, so the locked set and order are the same for every transaction of this customer.
   */
  private async loadGrants(
    ctx: RequestContext,
    input: DrawdownInput,
    lock: boolean,
  ): Promise<CreditGrantEntity[]> {
    const all = await readCustomerGrants(ctx, input.customerId, lock);
    return all.filter((grant) => grant.status === 'ACTIVE' && grant.currency === input.currency);
  }

  private toResult(
    input: DrawdownInput,
    grants: readonly CreditGrantEntity[],
    plan: CreditDrawdownPlan,
    balancesAlreadyMoved = false,
  ): DrawdownResult {
    const money = (cents: Decimal) => fromMinorUnits(cents.toFixed(), input.currency);
    const perLine = new Map<string, Decimal>();
    for (const line of plan.lines)
      if (!line.creditedCents.isZero()) perLine.set(line.lineId, money(line.creditedCents));
    const before = grants.reduce((sum, grant) => sum.plus(grant.remainingCents), ZERO);
    const remainingCents = balancesAlreadyMoved ? before : before.minus(plan.appliedCents);
    return {
      applied: money(plan.appliedCents),
      perLine,
      perGrant: plan.grants.map((g) => ({ grantId: g.grantId, amount: money(g.appliedCents) })),
      remainingBalance: money(remainingCents),
    };
  }
}
