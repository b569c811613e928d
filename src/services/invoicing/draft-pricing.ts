import type { RequestContext } from '../../context';
import { priceInvoice, usageCutPoints } from '../../domain/invoice-pricing';
import type { PricedLine } from '../../domain/invoice-pricing-input';
import { ZERO, type Decimal } from '../../domain/money';
import { periodOfInvoice } from '../../domain/contract-schedule';
import type { BillingPeriod } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { ContractReader } from './contract-reader';
import type { CreditDrawdown } from '../credits';
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

  /** Prices a DRAFT at request time from the aggregates, with the credits that would apply. */
  async view(ctx: RequestContext, invoice: InvoiceEntity): Promise<InvoiceView> {
    const lines = await this.priceLines(ctx, invoice);
    const credits = await this.drawdown.preview(ctx, drawdownInput(invoice, lines));
    const trueUp = await this.trueUp(ctx, invoice, lines, credits.perLine);
    return assembleView(invoice, [...lines, ...trueUp], credits.perLine, ZERO, credits.remainingBalance);
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
    // The schedule changed since the invoice was generated: the invoice's own dates are the period.
    return { index: 0, start: invoice.periodStart, end: invoice.periodEnd, nominalEnd: invoice.periodEnd };
  }
}
