import type { RequestContext } from '../../context';
import { AppError, ErrorCode } from '../../domain/errors';

interface WriteResult {
  affectedRows: number;
  insertId: number;
}

/**
 * A gap-free document number sequence, one row per environment in `table` (environment_id, last_number):
 * invoices (`INV-000001`) and credit notes (`CN-000001`) each have one. A number is taken under the
 * sequence row's lock, held until the transaction that stores it commits, so a rolled-back attempt gives its
 * number back and parallel transactions queue on the row instead of skipping or repeating a number.
 */
export class GapFreeSequence {
  /** Environments whose sequence row is known to exist (it is created once, outside the hot transaction). */
  private readonly sequenced = new Set<string>();

  constructor(
    private readonly table: string,
    private readonly prefix: string,
  ) {}

  /** Creates the environment's sequence row if missing; call it before the transaction that takes a number. */
  async ensureSequenceRow(ctx: RequestContext): Promise<void> {
    if (this.sequenced.has(ctx.environmentId)) return;
    // Not INSERT IGNORE: that would also swallow errors other than the duplicate key it is meant for.
    await ctx.db.query(
      `INSERT INTO ${this.table} (environment_id, last_number) VALUES (?, 0)
         ON DUPLICATE KEY UPDATE environment_id = environment_id`,
      [ctx.environmentId],
    );
    this.sequenced.add(ctx.environmentId);
  }

  /** The next number of the environment, under the sequence row's lock (held until commit): call it last. */
  async take(tx: RequestContext): Promise<string> {
    if (!tx.transaction) throw new Error(`${this.table}: a number must be taken inside a transaction`);
    // LAST_INSERT_ID(expr) hands the incremented value back in the statement's result: one round trip.
    const result = (await tx.manager.query(
      `UPDATE ${this.table} SET last_number = LAST_INSERT_ID(last_number + 1) WHERE environment_id = ?`,
      [tx.environmentId],
    )) as WriteResult;
    if (result.affectedRows !== 1) {
      throw new AppError(ErrorCode.INTERNAL, `No ${this.table} row for ${tx.environmentId}`);
    }
    return this.format(Number(result.insertId));
  }

  /** `<PREFIX>-000001`; past a million the number simply grows wider. */
  format(n: number): string {
    return `${this.prefix}-${String(n).padStart(6, '0')}`;
  }
}
