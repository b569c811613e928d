import type { RequestContext } from '../../context';
import { newId } from '../../domain/ids';
import { Decimal, ZERO } from '../../domain/money';
import { dueDate } from '../../domain/periods';
import type { ContractEntity } from '../../entities/contract.entity';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';

/** What a prepaid grant's COMMITMENT invoice charges. */
export interface CommitmentInvoiceRequest {
  contract: ContractEntity;
  /** Rounded amount in the contract's currency. */
  amount: Decimal;
  /** The one line's text, e.g. "2026 annual commitment". */
  description: string;
  /** The credits' availability, shown as the line's service period. */
  coversFrom: Date;
  coversTo: Date | null;
}

export interface CommitmentInvoiceIssuer {
  issue(tx: RequestContext, request: CommitmentInvoiceRequest): Promise<InvoiceEntity>;
}

/** Takes the next gap-free invoice number of the caller's environment inside `tx` (the invoice engine's). */
export type InvoiceNumberAllocator = (tx: RequestContext) => Promise<string>;

/**
 * Issues the one-line COMMITMENT invoice of a prepaid grant, finalized at once with the invoice engine's
 * next gap-free number (there is only one numbering scheme). It is dated at the contract's start, or now
 * when the contract started in the past (an invoice is never issued before it exists), and falls due after
 * the contract's payment terms. Credits never apply to it (its line is COMMITMENT).
 */
export class CommitmentInvoices implements CommitmentInvoiceIssuer {
  constructor(private readonly allocateNumber: InvoiceNumberAllocator) {}

  async issue(tx: RequestContext, request: CommitmentInvoiceRequest): Promise<InvoiceEntity> {
    const { contract, amount } = request;
    const now = tx.now();
    const issuedAt = contract.startDate.getTime() > now.getTime() ? contract.startDate : now;
    const periodEnd = request.coversTo ?? request.coversFrom;
    const invoice = tx.repo(InvoiceEntity).create({
      id: newId('inv', now.getTime()),
      environmentId: contract.environmentId,
      customerId: contract.customerId,
      contractId: contract.id,
      kind: 'COMMITMENT',
      status: 'FINALIZED',
      currency: contract.currency,
      periodStart: request.coversFrom,
      periodEnd,
      number: await this.allocateNumber(tx),
      issuedAt,
      dueDate: dueDate(issuedAt, contract.paymentTermsDays),
      subtotal: amount,
      creditsApplied: ZERO,
      total: amount,
      amountDue: amount,
      amountPaid: ZERO,
      finalizedAt: now,
      voidedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await tx.repo(InvoiceEntity).insert(invoice);
    await tx.repo(InvoiceLineEntity).insert(
      tx.repo(InvoiceLineEntity).create({
        id: newId('inl', now.getTime()),
        environmentId: contract.environmentId,
        invoiceId: invoice.id,
        position: 0,
        kind: 'COMMITMENT',
        pricingId: null,
        meterCode: null,
        description: request.description,
        dimensions: null,
        quantity: new Decimal(1),
        rate: amount,
        unitSize: null,
        rateSource: null,
        preciseAmount: amount,
        amount,
        creditsApplied: ZERO,
        serviceFrom: request.coversFrom,
        serviceTo: periodEnd,
      }),
    );
    return invoice;
  }
}
