/**
 * Exports: finance CSV exports (invoices, invoice lines, credit ledger, usage by day), read page by page.
 * Other folders import this feature only through this file.
 */
export { EXPORT_KINDS, ExportService } from './export.service';
export type { ExportKind } from './export.service';
export type { ExportFilter, RawExportFilter } from './export-filter';
export type { CsvExport } from './export-rows';
