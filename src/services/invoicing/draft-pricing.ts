import type { RequestContext } from '../../context';
import { priceInvoice, usageCutPoints } from '../../domain/invoice-pricing';
import type { PricedLine } from '../../domain/invoice-pricing-input';
import { Decimal, ZERO } from '../../domain/money';
import { sumAmounts } from '../../domain/invoice-math';
import { periodOfInvoice } from '../../domain/contract-schedule';
import type { BillingPeriod } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { ContractReader } from './contract-reader';
import type { CreditDrawdown, DrawdownResult } from '../credits';
import type { InvoiceCatalogService } from './invoice-catalog.service';
import type { InvoiceUsageService } from './invoice-usage.service';
import { assembleView, drawdownInput, type InvoiceView } from './invoice-views';
import { minimumTrueUpLines, type TrueUpOptions } from './minimum-true-up';

/**
 * Prices a DRAFT invoice live: loads its contract's catalog and the usage aggregates of its period, and runs
 * the pricing core. The finalizer prices through the same path, so a finalized invoice is exactly the draft
 * that was on screen at that moment.
 */
export class DraftPricing {
  constructor(
    private readonly contracts: ContractReader,
    private readonly catalog: InvoiceCatalogService,
    private readonly usage: InvoiceUsageService,
    private readonly drawdown: CreditDrawdown,
  ) {}

  /** Prices a DRAFT at request time from the aggregates, with the balance and credits that would apply. */
  async view(ctx: RequestContext, invoice: InvoiceEntity): Promise<InvoiceView> {
    const lines = await this.priceLines(ctx, invoice);
    const settled = await this.settle(ctx, invoice, lines, false);
    return assembleView(
      invoice,
      settled.lines,
      settled.credits.perLine,
      ZERO,
      settled.credits.remainingBalance,
      settled.balanceApplied,
    );
  }

  /**
   * What pays for the priced lines, in order: the customer's balance first (credit notes refunded to
   * BALANCE), then prepaid and promotional credits on what the balance left, then the minimum-commitment
   * true-up is added (never covered by credits; what is left of the balance may pay it). `apply` (inside the
   * finalization transaction, which holds the customer row) writes the drawdown and spends the balance;
   * otherwise nothing is written.
   */
  async settle(
    ctx: RequestContext,
    invoice: InvoiceEntity,
    lines: readonly PricedLine[],
    apply: boolean,
  ): Promise<{ lines: PricedLine[]; credits: DrawdownResult; balanceApplied: Decimal }> {
    const balance = await this.drawdown.balance(ctx, invoice.customerId, invoice.currency);
    const linesTotal = sumAmounts(lines);
    const balanceFirst = Decimal.min(balance, Decimal.max(linesTotal, ZERO));
    const input = drawdownInput(invoice, lines);
    if (balanceFirst.gt(0)) input.maxCredit = linesTotal.minus(balanceFirst);
    const credits = apply ? await this.drawdown.apply(ctx, input) : await this.drawdown.preview(ctx, input);
    const trueUp = await this.trueUp(ctx, invoice, lines, credits.perLine, { requireEarlierFinal: apply });
    const all = [...lines, ...trueUp];
    const balanceApplied = Decimal.max(ZERO, Decimal.min(balance, sumAmounts(all).minus(credits.applied)));
    if (apply) await this.drawdown.spendBalance(ctx, invoice, balanceApplied);
    return { lines: all, credits, balanceApplied };
  }

  /**
   * The minimum-commitment true-up owed on top of `lines` (after the credits applied to them), as lines to
   * append: never covered by credits, so it comes after the drawdown (see domain/minimum-commitment.ts).
   */
  async trueUp(
    ctx: RequestContext,
    invoice: InvoiceEntity,
    lines: readonly PricedLine[],
    creditsByLine: ReadonlyMap<string, Decimal>,
    options: TrueUpOptions = {},
  ): Promise<PricedLine[]> {
    if (!invoice.contractId) return [];
    const contract = await this.contracts.getByIdOrThrow(ctx, invoice.contractId);
    const period = periodOf(contract, invoice);
    return minimumTrueUpLines(ctx, contract, invoice, period, lines, creditsByLine, options);
  }

  /** The pricing core, with inputs loaded for the invoice's contract and period. */
  async priceLines(ctx: RequestContext, invoice: InvoiceEntity): Promise<PricedLine[]> {
    if (!invoice.contractId) return [];
    const contract = await this.contracts.getByIdOrThrow(ctx, invoice.contractId);
    const period = periodOf(contract, invoice);
    const inputs = await this.catalog.load(ctx, contract.id);
    const cuts = usageCutPoints({ period, ...inputs });
    const usage = await this.usage.read(ctx, {
      customerId: invoice.customerId,
      meters: [...inputs.meters.values()],
      from: period.start,
      to: period.end,
      cuts,
    });
    return priceInvoice({
      currency: invoice.currency,
      period,
      contractDimensions: contract.dimensions,
      ...inputs,
      usage,
    }).lines;
  }
}

function periodOf(contract: ContractEntity, invoice: InvoiceEntity): BillingPeriod {
  try {
    return periodOfInvoice(contract, invoice.periodStart);
  } catch {
    // The schedule changed since the invoice was generated (a later billing-cycle change): the invoice's own
    // dates are the period, and the end it had in its cycle stays the proration denominator even when a
    // cancellation cut the invoice short.
    return {
      index: 0,
      start: invoice.periodStart,
      end: invoice.periodEnd,
      nominalEnd: invoice.nominalPeriodEnd ?? invoice.periodEnd,
    };
  }
}
