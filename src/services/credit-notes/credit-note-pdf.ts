import type { RequestContext } from '../../context';
import { formatAmount, toWire } from '../../domain/money';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { OrganizationEntity } from '../../entities/organization.entity';
import type { CustomerService } from '../customers';
import type { InvoicePdfView } from '../invoicing';
import type { CreditNoteService } from './credit-note.service';

/**
 * A credit note as the invoice PDF module draws it (same layout): its lines are what it credits of each
 * invoice line, the period is the credited invoice's, and the total is the amount credited.
 */
export async function loadCreditNotePdfView(
  ctx: RequestContext,
  services: { creditNotes: CreditNoteService; customers: CustomerService },
  creditNoteId: string,
): Promise<InvoicePdfView> {
  const note = await services.creditNotes.getByIdOrThrow(ctx, creditNoteId);
  const [lines, invoice, customer, organization] = await Promise.all([
    services.creditNotes.linesOf(ctx, [note.id]),
    ctx
      .repo(InvoiceEntity)
      .findOneOrFail({ where: { id: note.invoiceId, environmentId: ctx.environmentId } }),
    services.customers.getByIdOrThrow(ctx, note.customerId),
    ctx.repo(OrganizationEntity).findOne({ where: { id: ctx.organizationId } }),
  ]);
  const total = formatAmount(note.total, note.currency);
  const refund = { BALANCE: "credited to the customer's balance", REFUND: 'refunded', NONE: 'not refunded' };
  return {
    document: 'CREDIT_NOTE',
    reference: `Credits ${invoice.number ?? invoice.id}: ${note.reason} (${refund[note.refund]})`,
    seller: { name: organization?.name ?? 'Tally' },
    customer: { name: customer.name, email: customer.email, externalId: customer.externalId },
    number: note.number,
    status: 'ISSUED',
    currency: note.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issuedAt: note.createdAt,
    dueDate: null,
    lines: (lines.get(note.id) ?? []).map((line) => ({
      description: line.description,
      dimensions: null,
      quantity: line.quantity ? toWire(line.quantity) : '',
      rate: null,
      unitSize: null,
      amount: formatAmount(line.amount, note.currency),
      creditsApplied: formatAmount(line.amount.mul(0), note.currency),
    })),
    subtotal: total,
    creditsApplied: formatAmount(note.total.mul(0), note.currency),
    total,
    amountDue: formatAmount(note.total.mul(0), note.currency),
  };
}

/** `CN-000001.pdf`. */
export function creditNotePdfFileName(view: InvoicePdfView): string {
  return `${view.number ?? 'credit-note'}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
}
