import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context';
import { undoAfter, withRollback } from '../../db/rollback';
import { ZERO, type Decimal } from '../../domain/money';
import { ContractEntity } from '../../entities/contract.entity';
import type { IdempotentOutcome } from '../common';
import type {
  ContractAmendmentService,
  ContractChangeResult,
  ContractHistoryService,
  SignUpInput,
  SignUpService,
} from '../contracts';
import type { InvoiceScheduleService, InvoiceService, InvoiceView } from '../invoicing';
import { singleChange, type ContractChangeRequest } from './contract-change-request';
import { firstInvoices, invoiceIdsOf, invoicesThrough } from './invoice-horizon';

/** An invoice as the previewed change would leave it; `existingId` is null for one the change would create. */
export interface PreviewedInvoice {
  view: InvoiceView;
  existingId: string | null;
}

export interface ContractChangePreview {
  contractId: string;
  currency: string;
  /** The amendment kind the change would record (PLAN_CHANGED, CANCELLED…) and when it takes effect. */
  kind: string;
  effectiveAt: Date;
  /** From the invoice running now through the first one starting at or after the change, after it. */
  invoices: PreviewedInvoice[];
  /** The same rule without the change: from the invoice running now through the first one starting at or
   * after the change's instant (so a cancellation shows the invoices it voids). */
  invoicesBefore: PreviewedInvoice[];
  totalAfter: Decimal;
  totalBefore: Decimal;
}

export interface SignUpPreview {
  currency: string;
  /** The new contract's first invoice and the next regular one. */
  invoices: PreviewedInvoice[];
}

/** How many invoices a sign-up preview shows: the first and the next regular one. */
const SIGN_UP_INVOICES = 2;

/**
 * Price previews. A preview runs the very code that applies the change (or the sign-up) in a transaction
 * that is always rolled back, reads the invoices it leaves, and rolls back: what it shows is what applying
 * the change at the same instant bills, to the cent, and nothing of it stays: no contract change, no
 * idempotency record (a throwaway key is used), no CRM outbox row, no live publish (after-commit hooks are
 * dropped). Errors are the change's own, so a preview refuses exactly what applying would.
 */
export class PricePreviewService {
  constructor(
    private readonly amendments: ContractAmendmentService,
    private readonly history: ContractHistoryService,
    private readonly signUps: SignUpService,
    private readonly schedule: InvoiceScheduleService,
    private readonly invoices: InvoiceService,
  ) {}

  async previewContractChange(
    ctx: RequestContext,
    contractId: string,
    change: ContractChangeRequest,
  ): Promise<ContractChangePreview> {
    const apply = this.applier(contractId, change);
    return withRollback(ctx, async (tx) => {
      const existing = await invoiceIdsOf(tx, contractId);
      // The change runs behind a savepoint: its invoices are read, then undone to read the state before.
      const after = await undoAfter(tx, 'price_preview_change', async (inner) => {
        const outcome = await apply(inner);
        const amendment = await this.history.findAmendment(inner, outcome.result.amendmentId);
        await this.extendEvergreen(inner, contractId);
        const invoices = await invoicesThrough(inner, contractId, amendment.effectiveAt);
        return { amendment, views: await this.invoices.views(inner, invoices) };
      });
      await this.extendEvergreen(tx, contractId);
      const { effectiveAt } = after.amendment;
      const before = await this.invoices.views(tx, await invoicesThrough(tx, contractId, effectiveAt));
      const previewed = (view: InvoiceView): PreviewedInvoice => ({
        view,
        existingId: existing.has(view.invoice.id) ? view.invoice.id : null,
      });
      return {
        contractId,
        currency: after.views[0]?.invoice.currency ?? before[0]?.invoice.currency ?? '',
        kind: after.amendment.kind,
        effectiveAt: after.amendment.effectiveAt,
        invoices: after.views.map(previewed),
        invoicesBefore: before.map(previewed),
        totalAfter: sumOfTotals(after.views),
        totalBefore: sumOfTotals(before),
      };
    });
  }

  async previewSignUp(
    ctx: RequestContext,
    input: Omit<SignUpInput, 'idempotencyKey'>,
  ): Promise<SignUpPreview> {
    return withRollback(ctx, async (tx) => {
      const outcome = await this.signUps.signUp(tx, { ...input, idempotencyKey: throwawayKey() });
      const invoices = await firstInvoices(tx, outcome.result.contractId, SIGN_UP_INVOICES);
      const views = await this.invoices.views(tx, invoices);
      return {
        currency: views[0]?.invoice.currency ?? '',
        invoices: views.map((view) => ({ view, existingId: null })),
      };
    });
  }

  /**
   * An evergreen contract's next draft is generated as time passes (by the finalizer worker, or when a draft
   * is read): it is generated here too, so the preview shows the next regular invoice. Fixed-term and ended
   * contracts have all their drafts already, as the worker assumes.
   */
  private async extendEvergreen(tx: RequestContext, contractId: string): Promise<void> {
    const contract = await tx
      .repo(ContractEntity)
      .findOne({ where: { id: contractId, environmentId: tx.environmentId } });
    if (contract?.status === 'ACTIVE' && contract.endDate === null) {
      await this.schedule.ensureInvoices(tx, contractId);
    }
  }

  /** The amendment call the request names, with a throwaway idempotency key (its record rolls back anyway). */
  private applier(
    contractId: string,
    change: ContractChangeRequest,
  ): (tx: RequestContext) => Promise<IdempotentOutcome<ContractChangeResult>> {
    const kind = singleChange(change);
    const base = { contractId, idempotencyKey: throwawayKey() };
    const a = this.amendments;
    switch (kind) {
      case 'changePlan':
        return (tx) => a.changePlan(tx, { ...base, ...change.changePlan! });
      case 'addAddOn':
        return (tx) => a.addAddOn(tx, { ...base, ...change.addAddOn! });
      case 'removeAddOn':
        return (tx) => a.removeAddOn(tx, { ...base, ...change.removeAddOn! });
      case 'changeQuantity':
        return (tx) => a.changeQuantity(tx, { ...base, ...change.changeQuantity! });
      case 'changeBillingCycle':
        return (tx) => a.changeBillingCycle(tx, { ...base, ...change.changeBillingCycle! });
      case 'cancelContract':
        return (tx) => a.cancel(tx, { ...base, ...change.cancelContract! });
    }
  }
}

function throwawayKey(): string {
  return `price-preview:${randomUUID()}`;
}

function sumOfTotals(views: readonly InvoiceView[]): Decimal {
  return views.reduce((sum, v) => sum.plus(v.total), ZERO);
}
