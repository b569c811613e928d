/**
 * Credit notes: corrections of finalized invoices by line (never above what is left to credit), on their own
 * gap-free `CN-000001` sequence, refunded to the customer's balance, outside Tally, or not at all; PDFs.
 * Other folders import this feature only through this file.
 */
export { CreditNoteNumbers, formatCreditNoteNumber } from './credit-note-numbers';
export { creditNotePdfFileName, loadCreditNotePdfView } from './credit-note-pdf';
export { CREDIT_NOTE_REFUNDS, CreditNoteService } from './credit-note.service';
export type { CreateCreditNoteInput, CreditNoteListArgs } from './credit-note.service';
