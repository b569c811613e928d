import type { RequestContext } from '../../context';
import { AppError, ErrorCode } from '../../domain/errors';
import type { WriteResult } from '../usage';

/**
 * Gap-free credit-note numbers (`CN-000001`), one sequence per environment, separate from invoices'. Same
 * technique as invoice numbers: the number is taken under the sequence row's lock, held until the
 * transaction that stores it commits, so a rolled-back attempt gives its number back.
 */
export class CreditNoteNumbers {
  private readonly sequenced = new Set<string>();

  /** Creates the environment's sequence row if missing; call it before the transaction that takes a number. */
  async ensureSequenceRow(ctx: RequestContext): Promise<void> {
    if (this.sequenced.has(ctx.environmentId)) return;
    await ctx.db.query(
      `INSERT INTO credit_note_number_sequences (environment_id, last_number) VALUES (?, 0)
         ON DUPLICATE KEY UPDATE environment_id = environment_id`,
      [ctx.environmentId],
    );
    this.sequenced.add(ctx.environmentId);
  }

  /** The next number, under the sequence row's lock (held until commit): call it last in the transaction. */
  async take(tx: RequestContext): Promise<string> {
    if (!tx.transaction) throw new Error('CreditNoteNumbers.take must run inside a transaction');
    const result = (await tx.manager.query(
      'UPDATE credit_note_number_sequences SET last_number = LAST_INSERT_ID(last_number + 1) WHERE environment_id = ?',
      [tx.environmentId],
    )) as WriteResult;
    if (result.affectedRows !== 1) {
      throw new AppError(ErrorCode.INTERNAL, `No credit note number sequence for ${tx.environmentId}`);
    }
    return formatCreditNoteNumber(Number(result.insertId));
  }
}

/** `CN-000001`; past a million the number simply grows wider. */
export function formatCreditNoteNumber(n: number): string {
  return `CN-${String(n).padStart(6, '0')}`;
}
