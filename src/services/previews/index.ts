/**
 * Price previews: what a contract change or a sign-up would bill, computed by running it in a transaction
 * that is rolled back.
 * Other folders import this feature only through this file.
 */
export type { ContractChangeKind, ContractChangeRequest } from './contract-change-request';
export { MAX_PREVIEW_INVOICES } from './invoice-horizon';
export { PricePreviewService } from './price-preview.service';
export type { ContractChangePreview, PreviewedInvoice, SignUpPreview } from './price-preview.service';
