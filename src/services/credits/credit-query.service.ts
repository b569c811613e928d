import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../domain/errors';
import { Decimal, ZERO } from '../../domain/money';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import {
  CreditLedgerEntryEntity,
  type CreditLedgerEntryKind,
} from '../../entities/credit-ledger-entry.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { pageById, type Page, type PageArgs } from '../common';
import { balanceCurrency } from './credit-balance-currency';

/** One grant's balance, derived from its ledger entries. All amounts are in minor units. */
export interface GrantBalance {
  grant: CreditGrantEntity;
  grantedCents: Decimal;
  usedCents: Decimal;
  expiredCents: Decimal;
  voidedCents: Decimal;
  /** Sum of every entry: granted − used − expired − voided. */
  remainingCents: Decimal;
}

export interface CurrencyBalance {
  currency: string;
  grantedCents: Decimal;
  usedCents: Decimal;
  expiredCents: Decimal;
  voidedCents: Decimal;
  remainingCents: Decimal;
}

export interface CustomerCreditBalance {
  customerId: string;
  /** One per currency the customer has grants in, by currency code. */
  totals: CurrencyBalance[];
  /** Every grant, oldest first, including expired and voided ones. */
  grants: GrantBalance[];
  /** The currency of the contract the single total is for (see balanceCurrency); null without a contract. */
  currency: string | null;
  /** Every grant in `currency` summed (zeros when none is in it); null without a contract. */
  total: CurrencyBalance | null;
}

const ZERO_SUMS = () => ({
  GRANT: ZERO,
  DEDUCTION: ZERO,
  REVERSAL: ZERO,
  EXPIRY: ZERO,
  VOID: ZERO,
  ROLLOVER: ZERO,
});

/** Read side of credits: balances and the wallet history. Balances come from the ledger, not the cache. */
export class CreditQueryService {
  async getBalance(
    ctx: RequestContext,
    customerId: string,
    contractId: string | null = null,
  ): Promise<CustomerCreditBalance> {
    await this.checkCustomer(ctx, customerId);
    const currency = await balanceCurrency(ctx, customerId, contractId);
    const grants = await ctx.repo(CreditGrantEntity).find({
      where: { environmentId: ctx.environmentId, customerId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const sums = await ctx
      .repo(CreditLedgerEntryEntity)
      .createQueryBuilder('l')
      .select(['l.grant_id AS grantId', 'l.kind AS kind', 'SUM(l.amount_cents) AS cents'])
      .where('l.environment_id = :env AND l.customer_id = :customer', {
        env: ctx.environmentId,
        customer: customerId,
      })
      .groupBy('l.grant_id')
      .addGroupBy('l.kind')
      .getRawMany<{ grantId: string; kind: CreditLedgerEntryKind; cents: string }>();
    const byGrant = new Map<string, Record<CreditLedgerEntryKind, Decimal>>();
    for (const row of sums) {
      const entry = byGrant.get(row.grantId) ?? ZERO_SUMS();
      entry[row.kind] = new Decimal(row.cents);
      byGrant.set(row.grantId, entry);
    }
    const balances = grants.map((grant): GrantBalance => {
      const s = byGrant.get(grant.id) ?? ZERO_SUMS();
      return {
        grant,
        grantedCents: s.GRANT,
        // Net of reversals: credits given back by a voided invoice were not used.
        usedCents: s.DEDUCTION.plus(s.REVERSAL).neg().plus(0),
        expiredCents: s.EXPIRY.neg().plus(0),
        voidedCents: s.VOID.neg().plus(0),
        // What rolled over at renewal left this grant for a grant of the new term.
        remainingCents: s.GRANT.plus(s.DEDUCTION)
          .plus(s.REVERSAL)
          .plus(s.EXPIRY)
          .plus(s.VOID)
          .plus(s.ROLLOVER),
      };
    });
    const totals = new Map<string, CurrencyBalance>();
    for (const b of balances) {
      const t = totals.get(b.grant.currency) ?? {
        currency: b.grant.currency,
        grantedCents: ZERO,
        usedCents: ZERO,
        expiredCents: ZERO,
        voidedCents: ZERO,
        remainingCents: ZERO,
      };
      t.grantedCents = t.grantedCents.plus(b.grantedCents);
      t.usedCents = t.usedCents.plus(b.usedCents);
      t.expiredCents = t.expiredCents.plus(b.expiredCents);
      t.voidedCents = t.voidedCents.plus(b.voidedCents);
      t.remainingCents = t.remainingCents.plus(b.remainingCents);
      totals.set(b.grant.currency, t);
    }
    const none = {
      grantedCents: ZERO,
      usedCents: ZERO,
      expiredCents: ZERO,
      voidedCents: ZERO,
      remainingCents: ZERO,
    };
    return {
      customerId,
      totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      grants: balances,
      currency,
      total: currency ? (totals.get(currency) ?? { currency, ...none }) : null,
    };
  }

  /** The customer's ledger, newest first; `afterId` is the id of the last entry of the previous page. */
  async listLedger(
    ctx: RequestContext,
    customerId: string,
    page: PageArgs,
  ): Promise<Page<CreditLedgerEntryEntity>> {
    await this.checkCustomer(ctx, customerId);
    if (page.afterId && !/^\d{1,19}$/.test(page.afterId)) {
      throw badInput('after', 'is not a cursor returned by creditLedger');
    }
    const qb = ctx
      .repo(CreditLedgerEntryEntity)
      .createQueryBuilder('l')
      .where('l.environment_id = :env AND l.customer_id = :customer', {
        env: ctx.environmentId,
        customer: customerId,
      });
    return pageById(qb, page, 'DESC');
  }

  private async checkCustomer(ctx: RequestContext, customerId: string): Promise<void> {
    const exists = await ctx
      .repo(CustomerEntity)
      .exists({ where: { id: customerId, environmentId: ctx.environmentId } });
    if (!exists) throw notFound('Customer', customerId, 'customerId');
  }
}
