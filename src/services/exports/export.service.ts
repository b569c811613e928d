import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { creditLedgerExport } from './credit-ledger-export';
import { checkExportFilter, type ExportFilter, type RawExportFilter } from './export-filter';
import { EXPORT_PAGE_SIZE, type CsvExport } from './export-rows';
import { invoiceLinesExport, invoicesExport } from './invoice-exports';
import { usageExport } from './usage-export';

export const EXPORT_KINDS = ['invoices', 'invoice-lines', 'credit-ledger', 'usage'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const BUILDERS: Record<
  ExportKind,
  (ctx: RequestContext, filter: ExportFilter, pageSize: number) => CsvExport
> = {
  invoices: invoicesExport,
  'invoice-lines': invoiceLinesExport,
  'credit-ledger': creditLedgerExport,
  usage: usageExport,
};

/**
 * Finance exports of the caller's environment as CSV rows, read page by page (see each export for its
 * order and what the period filter applies to). Pages are separate reads, not one snapshot: a row
 * committed while an export runs may or may not be in it, but no row appears twice (keyset pages).
 */
export class ExportService {
  constructor(private readonly pageSize = EXPORT_PAGE_SIZE) {}

  /** Checks the kind and the filter before anything is read: a bad request fails before the first byte. */
  async open(ctx: RequestContext, kind: string, raw: RawExportFilter): Promise<CsvExport> {
    if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
      throw badInput('kind', `must be one of ${EXPORT_KINDS.join(', ')}`);
    }
    const filter = await checkExportFilter(ctx, raw);
    return BUILDERS[kind as ExportKind](ctx, filter, this.pageSize);
  }
}
