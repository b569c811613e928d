import type { RequestContext } from '../../context';
import { conflict } from '../../domain/errors';
import type { PricedLine } from '../../domain/invoice-pricing-input';
import {
  closedWindow,
  committedSpend,
  minimumTrueUp,
  type CommitmentWindow,
  type MinimumCommitmentTerms,
  type SpendLine,
} from '../../domain/minimum-commitment';
import { Decimal, ZERO } from '../../domain/money';
import type { BillingPeriod } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import { sqlDateTime } from '../usage';

/** The contract's minimum commitment, or null when it has none. */
export function commitmentTerms(contract: ContractEntity): MinimumCommitmentTerms | null {
  if (!contract.minimumCommitmentAmount || !contract.minimumCommitmentScope) return null;
  return {
    amount: contract.minimumCommitmentAmount,
    scope: contract.minimumCommitmentScope,
    pricingIds: contract.minimumCommitmentPricingIds,
    creditsCount: contract.minimumCommitmentCreditsCount,
  };
}

export interface TrueUpOptions {
  /**
   * Finalization: refuse while an earlier invoice of the window is still a DRAFT, since its spend is not
   * settled yet (finalize the window's invoices in order). A draft preview counts finalized invoices only.
   */
  requireEarlierFinal?: boolean;
}

/**
 * The MINIMUM_TRUE_UP line of the invoice that closes a commitment window (none when the contract has no
 * minimum, the window closes later, or the spend meets it). `lines` are the invoice's priced lines and
 * `creditsByLine` the credits applied to them, keyed by position as the drawdown returns them.
 */
export async function minimumTrueUpLines(
  ctx: RequestContext,
  contract: ContractEntity,
  invoice: InvoiceEntity,
  period: BillingPeriod,
  lines: readonly PricedLine[],
  creditsByLine: ReadonlyMap<string, Decimal>,
  options: TrueUpOptions = {},
): Promise<PricedLine[]> {
  const terms = commitmentTerms(contract);
  if (!terms) return [];
  const window = closedWindow(terms.scope, contract, period);
  if (!window) return [];
  const current: SpendLine[] = lines.map((line, position) => ({
    kind: line.kind,
    pricingId: line.pricingId,
    amount: line.amount,
    creditsApplied: creditsByLine.get(String(position)) ?? ZERO,
  }));
  const earlier = terms.scope === 'PERIOD' ? [] : await earlierSpendLines(ctx, invoice, window, options);
  const spend = committedSpend(terms, [...earlier, ...current]);
  const line = minimumTrueUp(terms, window, spend, invoice.currency);
  return line ? [line] : [];
}

/** The frozen lines of the contract's earlier period invoices inside the window. */
async function earlierSpendLines(
  ctx: RequestContext,
  invoice: InvoiceEntity,
  window: CommitmentWindow,
  options: TrueUpOptions,
): Promise<SpendLine[]> {
  const range = [sqlDateTime(window.start), sqlDateTime(invoice.periodStart)];
  if (options.requireEarlierFinal) {
    const drafts = (await ctx.manager.query(
      `SELECT COUNT(*) AS n FROM invoices
        WHERE environment_id = ? AND contract_id = ? AND kind = 'PERIOD' AND status = 'DRAFT'
          AND period_start >= ? AND period_start < ?`,
      [ctx.environmentId, invoice.contractId, ...range],
    )) as Array<{ n: number | string }>;
    if (Number(drafts[0]?.n ?? 0) > 0) {
      throw conflict(
        `Invoice ${invoice.id} closes a minimum-commitment window whose earlier invoices are not all finalized; ` +
          'finalize them first, in order',
      );
    }
  }
  const rows = (await ctx.manager.query(
    `SELECT l.kind AS kind, l.pricing_id AS pricingId, l.amount AS amount, l.credits_applied AS creditsApplied
       FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      WHERE i.environment_id = ? AND i.contract_id = ? AND i.kind = 'PERIOD'
        AND i.status IN ('FINALIZED', 'PAID') AND i.id <> ?
        AND i.period_start >= ? AND i.period_start < ?`,
    [ctx.environmentId, invoice.contractId, invoice.id, ...range],
  )) as Array<{ kind: string; pricingId: string | null; amount: string; creditsApplied: string }>;
  return rows.map((row) => ({
    kind: row.kind,
    pricingId: row.pricingId,
    amount: new Decimal(row.amount),
    creditsApplied: new Decimal(row.creditsApplied),
  }));
}
