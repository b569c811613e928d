import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  creditNoteLines,
  type CreditedInvoiceLine,
  type CreditNoteLineRequest,
} from '../../domain/credit-note-lines';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal } from '../../domain/money';
import {
  CreditNoteEntity,
  CreditNoteLineEntity,
  type CreditNoteRefund,
} from '../../entities/credit-note.entity';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { liveTopics, pageById, publishAfterCommit, requiredText, runIdempotent } from '../common';
import type { Page, PageArgs, PubSub } from '../common';
import type { CustomerBalanceLedger } from '../credits';
import type { CreditNoteNumbers } from './credit-note-numbers';

export const CREDIT_NOTE_REFUNDS: readonly CreditNoteRefund[] = ['BALANCE', 'REFUND', 'NONE'];

export interface CreateCreditNoteInput {
  invoiceId: string;
  lines: readonly CreditNoteLineRequest[];
  reason: string;
  refund: CreditNoteRefund;
  /** Optional: repeating a key returns the first credit note and credits nothing more. */
  idempotencyKey?: string | null;
}

export interface CreditNoteListArgs extends PageArgs {
  customerId?: string | null;
  invoiceId?: string | null;
}

/**
 * Credit notes: corrections of finalized invoices, by line. Each is created in one transaction that locks
 * the invoice row first, so concurrent credit notes of one invoice queue and each sees what the others
 * credited (never more than a line's amount in total); its number comes last from the environment's own
 * gap-free sequence; a BALANCE refund credits the customer's balance in the same transaction.
 */
export class CreditNoteService {
  constructor(
    private readonly numbers: CreditNoteNumbers,
    private readonly balance: CustomerBalanceLedger,
    /** A BALANCE refund changes what the customer's drafts preview: their live feeds re-price after commit. */
    private readonly pubsub: PubSub,
  ) {}

  async create(ctx: RequestContext, input: CreateCreditNoteInput): Promise<CreditNoteEntity> {
    const reason = requiredText(input.reason, 'input.reason', 500);
    if (!CREDIT_NOTE_REFUNDS.includes(input.refund)) {
      throw badInput('input.refund', `must be one of ${CREDIT_NOTE_REFUNDS.join(', ')}`);
    }
    await this.numbers.ensureSequenceRow(ctx);
    const { idempotencyKey, ...request } = input;
    if (idempotencyKey !== null && idempotencyKey !== undefined) {
      const outcome = await runIdempotent(
        ctx,
        { key: idempotencyKey, operation: 'createCreditNote', request },
        async (tx) => ({ creditNoteId: (await this.insert(tx, input, reason)).id }),
      );
      return this.getByIdOrThrow(ctx, outcome.result.creditNoteId);
    }
    return withTransaction(ctx, (tx) => this.insert(tx, input, reason));
  }

  /** The credit note itself, inside the caller's transaction (see the class comment for the locks). */
  private async insert(
    tx: RequestContext,
    input: CreateCreditNoteInput,
    reason: string,
  ): Promise<CreditNoteEntity> {
    const locked = (await tx.manager.query(
      'SELECT id FROM invoices WHERE id = ? AND environment_id = ? FOR UPDATE',
      [input.invoiceId, tx.environmentId],
    )) as unknown[];
    // Read after the lock: every credit note committed before it is seen below.
    const invoice = locked.length
      ? await tx
          .repo(InvoiceEntity)
          .findOne({ where: { id: input.invoiceId, environmentId: tx.environmentId } })
      : null;
    if (!invoice) throw notFound('Invoice', input.invoiceId, 'input.invoiceId');
    if (invoice.status !== 'FINALIZED' && invoice.status !== 'PAID') {
      throw conflict(
        `Invoice ${invoice.id} is ${invoice.status}: only finalized (or paid) invoices take credit notes`,
        'input.invoiceId',
      );
    }
    const drafted = creditNoteLines(invoice.currency, await this.creditable(tx, invoice.id), input.lines);
    const now = tx.now();
    // The number comes last: the sequence row stays locked only for the final inserts and the commit.
    const note = tx.repo(CreditNoteEntity).create({
      id: newId('crn', now.getTime()),
      environmentId: tx.environmentId,
      customerId: invoice.customerId,
      invoiceId: invoice.id,
      number: await this.numbers.take(tx),
      currency: invoice.currency,
      reason,
      refund: input.refund,
      total: drafted.total,
      createdAt: now,
    });
    await tx.repo(CreditNoteEntity).insert(note);
    await tx.repo(CreditNoteLineEntity).insert(
      drafted.lines.map((line, position) => ({
        id: newId('cnl', now.getTime()),
        environmentId: tx.environmentId,
        creditNoteId: note.id,
        invoiceLineId: line.invoiceLineId,
        position,
        description: line.description.slice(0, 500),
        quantity: line.quantity,
        amount: line.amount,
      })),
    );
    if (note.refund === 'BALANCE') {
      await this.balance.record(tx, {
        customerId: note.customerId,
        currency: note.currency,
        kind: 'CREDIT_NOTE',
        amount: note.total,
        creditNoteId: note.id,
        description: `Credit note ${note.number} (invoice ${invoice.number ?? invoice.id})`,
      });
      publishAfterCommit(tx, this.pubsub, liveTopics.invoices(tx.environmentId, note.customerId), {
        customerId: note.customerId,
        invoiceId: invoice.id,
        status: invoice.status,
      });
    }
    return note;
  }

  /** The invoice's lines with what earlier credit notes credited of each. */
  private async creditable(tx: RequestContext, invoiceId: string): Promise<Map<string, CreditedInvoiceLine>> {
    const lines = await tx
      .repo(InvoiceLineEntity)
      .find({ where: { invoiceId, environmentId: tx.environmentId }, order: { position: 'ASC' } });
    const credited = (await tx.manager.query(
      `SELECT l.invoice_line_id AS lineId, SUM(l.amount) AS credited
         FROM credit_note_lines l JOIN credit_notes n ON n.id = l.credit_note_id
        WHERE n.invoice_id = ? AND n.environment_id = ?
        GROUP BY l.invoice_line_id`,
      [invoiceId, tx.environmentId],
    )) as Array<{ lineId: string; credited: string | number }>;
    const creditedByLine = new Map(credited.map((row) => [row.lineId, new Decimal(String(row.credited))]));
    return new Map(
      lines.map((line) => [
        line.id,
        {
          id: line.id,
          description: line.description,
          quantity: line.quantity,
          amount: line.amount,
          alreadyCredited: creditedByLine.get(line.id) ?? new Decimal(0),
        },
      ]),
    );
  }

  async getByIdOrThrow(ctx: RequestContext, id: string, field = 'id'): Promise<CreditNoteEntity> {
    const note = await ctx
      .repo(CreditNoteEntity)
      .findOne({ where: { id, environmentId: ctx.environmentId } });
    if (!note) throw notFound('Credit note', id, field);
    return note;
  }

  /** Newest first, optionally of one customer or one invoice. */
  async list(ctx: RequestContext, args: CreditNoteListArgs): Promise<Page<CreditNoteEntity>> {
    const qb = ctx
      .repo(CreditNoteEntity)
      .createQueryBuilder('n')
      .where('n.environment_id = :env', { env: ctx.environmentId });
    if (args.customerId) qb.andWhere('n.customer_id = :customer', { customer: args.customerId });
    if (args.invoiceId) qb.andWhere('n.invoice_id = :invoice', { invoice: args.invoiceId });
    return pageById(qb, args, 'DESC');
  }

  /** The lines of several credit notes, in order, grouped by note (one query). */
  async linesOf(
    ctx: RequestContext,
    creditNoteIds: readonly string[],
  ): Promise<Map<string, CreditNoteLineEntity[]>> {
    const rows = creditNoteIds.length
      ? await ctx.repo(CreditNoteLineEntity).find({
          where: { creditNoteId: In([...creditNoteIds]), environmentId: ctx.environmentId },
          order: { position: 'ASC' },
        })
      : [];
    const grouped = new Map<string, CreditNoteLineEntity[]>(creditNoteIds.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.creditNoteId)?.push(row);
    return grouped;
  }

  /** The customer's balance per currency (credit notes refunded to BALANCE, less what invoices spent). */
  balances(ctx: RequestContext, customerId: string): Promise<Array<{ currency: string; amount: Decimal }>> {
    return this.balance.balances(ctx, customerId);
  }
}
