import type { RequestContext } from '../../context';
import { AppError, ErrorCode } from '../../domain/errors';
import type { WriteResult } from '../usage';

/**
 * Gap-free invoice numbers, one sequence per environment. A number is taken under the sequence row's lock,
 * held until the transaction that stores it commits, so a rolled-back attempt gives its number back.
 */
export class InvoiceNumbers {
  /** Environments whose sequence row is known to exist (it is created once, outside the hot transaction). */
  private readonly sequenced = new Set<string>();

  /** Creates the environment's sequence row if missing; call it before the transaction that takes a number. */
  async ensureSequenceRow(ctx: RequestContext): Promise<void> {
    if (this.sequenced.has(ctx.environmentId)) return;
    // Not INSERT IGNORE: that would also swallow errors other than the duplicate key it is meant for.
    await ctx.db.query(
      `INSERT INTO invoice_number_sequences (environment_id, last_number) VALUES (?, 0)
         ON DUPLICATE KEY UPDATE environment_id = environment_id`,
      [ctx.environmentId],
    );
    this.sequenced.add(ctx.environmentId);
  }

  /**
   * The next gap-free number of the caller's environment, for any invoice kind (commitment invoices use it
   * too). Must run inside the transaction that stores the number: the lock is held until it commits, and a
   * rollback gives the number back. Call it as late as possible in that transaction.
   */
  async allocate(tx: RequestContext): Promise<string> {
    if (!tx.transaction) throw new Error('allocateNumber must run inside a transaction');
    await this.ensureSequenceRow(tx);
    return this.take(tx);
  }

  /** The next number of the environment, under the sequence row's lock (held until commit). */
  async take(tx: RequestContext): Promise<string> {
    // LAST_INSERT_ID(expr) hands the incremented value back in the statement's result: one round trip.
    const result = (await tx.manager.query(
      'UPDATE invoice_number_sequences SET last_number = LAST_INSERT_ID(last_number + 1) WHERE environment_id = ?',
      [tx.environmentId],
    )) as WriteResult;
    if (result.affectedRows !== 1) {
      throw new AppError(ErrorCode.INTERNAL, `No invoice number sequence for ${tx.environmentId}`);
    }
    return formatInvoiceNumber(Number(result.insertId));
  }
}

/** `INV-000001`; past a million the number simply grows wider. */
export function formatInvoiceNumber(n: number): string {
  return `INV-${String(n).padStart(6, '0')}`;
}
