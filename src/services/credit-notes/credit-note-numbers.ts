import { GapFreeSequence } from '../common';

/** Gap-free credit-note numbers (`CN-000001`), one sequence per environment, separate from invoices'. */
export class CreditNoteNumbers extends GapFreeSequence {
  constructor() {
    super('credit_note_number_sequences', 'CN');
  }
}

/** `CN-000001`; past a million the number simply grows wider. */
export function formatCreditNoteNumber(n: number): string {
  return new CreditNoteNumbers().format(n);
}
