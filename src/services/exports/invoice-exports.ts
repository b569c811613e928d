import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { CsvValue } from '../../domain/csv';
import { formatAmount } from '../../domain/money';
import type { Decimal } from '../../domain/money';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { ExportFilter } from './export-filter';
import { customersById, dimensionsText, iso, type CsvExport } from './export-rows';

const money = (value: Decimal | null, currency: string) => (value ? formatAmount(value, currency) : null);

/**
 * Issued invoices (every status but DRAFT: a draft's amounts are priced live and stored nowhere), in
 * creation order, by pages of `pageSize` on the (environment_id, id) index. The period filter applies to
 * the invoice's period start.
 */
async function* invoicePages(ctx: RequestContext, filter: ExportFilter, pageSize: number) {
  let after = '';
  for (;;) {
    const qb = ctx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.environment_id = :env', { env: ctx.environmentId })
      .andWhere("i.status <> 'DRAFT'")
      .andWhere('i.id > :after', { after });
    if (filter.customerId) qb.andWhere('i.customer_id = :customer', { customer: filter.customerId });
    if (filter.from) qb.andWhere('i.period_start >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('i.period_start < :to', { to: filter.to });
    const page = await qb.orderBy('i.id', 'ASC').take(pageSize).getMany();
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

export const INVOICE_HEADER = [
  'invoice_id',
  'number',
  'kind',
  'status',
  'customer_id',
  'customer_external_id',
  'customer_name',
  'contract_id',
  'currency',
  'period_start',
  'period_end_exclusive',
  'issued_at',
  'due_date',
  'subtotal',
  'credits_applied',
  'total',
  'amount_due',
  'amount_paid',
  'credit_balance_remaining',
  'finalized_at',
  'voided_at',
] as const;

export function invoicesExport(ctx: RequestContext, filter: ExportFilter, pageSize: number): CsvExport {
  return {
    header: INVOICE_HEADER,
    pages: (async function* () {
      for await (const invoices of invoicePages(ctx, filter, pageSize)) {
        const customers = await customersById(
          ctx,
          invoices.map((i) => i.customerId),
        );
        yield invoices.map((i): CsvValue[] => {
          const customer = customers.get(i.customerId);
          return [
            i.id,
            i.number,
            i.kind,
            i.status,
            i.customerId,
            customer?.externalId,
            customer?.name,
            i.contractId,
            i.currency,
            iso(i.periodStart),
            iso(i.periodEnd),
            iso(i.issuedAt),
            iso(i.dueDate),
            money(i.subtotal, i.currency),
            money(i.creditsApplied, i.currency),
            money(i.total, i.currency),
            money(i.amountDue, i.currency),
            money(i.amountPaid, i.currency),
            money(i.creditBalanceRemaining, i.currency),
            iso(i.finalizedAt),
            iso(i.voidedAt),
          ];
        });
      }
    })(),
  };
}

export const INVOICE_LINE_HEADER = [
  'invoice_id',
  'invoice_number',
  'invoice_status',
  'customer_id',
  'customer_external_id',
  'currency',
  'period_start',
  'position',
  'kind',
  'description',
  'meter_code',
  'dimensions',
  'quantity',
  'unit_size',
  'rate',
  'rate_source',
  'amount',
  'credits_applied',
  'service_from',
  'service_to_exclusive',
] as const;

/** The frozen lines of the issued invoices above, invoice by invoice, in line order. */
export function invoiceLinesExport(ctx: RequestContext, filter: ExportFilter, pageSize: number): CsvExport {
  return {
    header: INVOICE_LINE_HEADER,
    pages: (async function* () {
      // Fewer invoices per page than rows: each brings all its lines.
      for await (const invoices of invoicePages(ctx, filter, Math.max(1, Math.floor(pageSize / 10)))) {
        const byId = new Map(invoices.map((i) => [i.id, i]));
        const [customers, lines] = await Promise.all([
          customersById(
            ctx,
            invoices.map((i) => i.customerId),
          ),
          ctx.repo(InvoiceLineEntity).find({
            where: { invoiceId: In([...byId.keys()]), environmentId: ctx.environmentId },
            order: { invoiceId: 'ASC', position: 'ASC' },
          }),
        ]);
        yield lines.map((line): CsvValue[] => {
          const invoice = byId.get(line.invoiceId)!;
          return [
            invoice.id,
            invoice.number,
            invoice.status,
            invoice.customerId,
            customers.get(invoice.customerId)?.externalId,
            invoice.currency,
            iso(invoice.periodStart),
            line.position,
            line.kind,
            line.description,
            line.meterCode,
            dimensionsText(line.dimensions),
            line.quantity.toFixed(),
            line.unitSize?.toFixed() ?? null,
            line.rate?.toFixed() ?? null,
            line.rateSource,
            formatAmount(line.amount, invoice.currency),
            formatAmount(line.creditsApplied, invoice.currency),
            iso(line.serviceFrom),
            iso(line.serviceTo),
          ];
        });
      }
    })(),
  };
}
