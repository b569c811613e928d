/**
 * Invoicing: the billing-period schedule, pre-generated draft invoices priced live from usage aggregates, finalization with gap-free numbers, voiding, and PDFs.
 * Other folders import this feature only through this file.
 */
export { ContractPeriodInvoices } from './contract-period-invoices.service';
export type { FinalizedPeriod, VoidInvoice } from './contract-period-invoices.service';
// The schedule rules live in the domain; re-exported for the features that already reach them here.
export { contractSchedule } from '../../domain/contract-schedule';
export { InvoiceCatalogService } from './invoice-catalog.service';
export { invoicePdfFileName, loadInvoicePdfView, renderInvoicePdf } from './invoice-pdf';
export type { InvoicePdfView } from './invoice-pdf';
export { InvoiceScheduleService } from './invoice-schedule.service';
export { InvoiceUsageService } from './invoice-usage.service';
export { InvoiceService } from './invoice.service';
export type { InvoiceOwner, InvoicePageRequest } from './invoice-pages';
export type { DueInvoice, FinalizeOutcome, InvoiceLineView, InvoiceView } from './invoice.service';
export type { ContractReader } from './contract-reader';
