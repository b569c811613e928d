import type { RequestContext } from '../../context';
import { GapFreeSequence } from '../common';

/** Gap-free invoice numbers (`INV-000001`), one sequence per environment (see GapFreeSequence). */
export class InvoiceNumbers extends GapFreeSequence {
  constructor() {
    super('invoice_number_sequences', 'INV');
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
}

/** `INV-000001`; past a million the number simply grows wider. */
export function formatInvoiceNumber(n: number): string {
  return new InvoiceNumbers().format(n);
}
