import type { RequestContext } from '../../context';
import type { CsvValue } from '../../domain/csv';
import { formatAmount, fromMinorUnits } from '../../domain/money';
import { CreditLedgerEntryEntity } from '../../entities/credit-ledger-entry.entity';
import type { ExportFilter } from './export-filter';
import { customersById, dimensionsText, iso, type CsvExport } from './export-rows';

export const CREDIT_LEDGER_HEADER = [
  'entry_id',
  'created_at',
  'customer_id',
  'customer_external_id',
  'grant_id',
  'kind',
  'currency',
  'amount',
  'grant_balance_after',
  'invoice_id',
  'invoice_line',
  'meter_code',
  'dimensions',
  'description',
] as const;

/**
 * Every movement of the credit ledger in the order it was written (signed: grants and reversals positive;
 * deductions, expiries and voids negative), in currency units. The period filter applies to the entry's
 * time. Pages by id.
 */
export function creditLedgerExport(ctx: RequestContext, filter: ExportFilter, pageSize: number): CsvExport {
  return {
    header: CREDIT_LEDGER_HEADER,
    pages: (async function* () {
      let after = '0';
      for (;;) {
        const qb = ctx
          .repo(CreditLedgerEntryEntity)
          .createQueryBuilder('e')
          .where('e.environment_id = :env', { env: ctx.environmentId })
          .andWhere('e.id > :after', { after });
        if (filter.customerId) qb.andWhere('e.customer_id = :customer', { customer: filter.customerId });
        if (filter.from) qb.andWhere('e.created_at >= :from', { from: filter.from });
        if (filter.to) qb.andWhere('e.created_at < :to', { to: filter.to });
        const entries = await qb.orderBy('e.id', 'ASC').take(pageSize).getMany();
        if (entries.length) {
          const customers = await customersById(
            ctx,
            entries.map((e) => e.customerId),
          );
          yield entries.map((e): CsvValue[] => [
            e.id,
            iso(e.createdAt),
            e.customerId,
            customers.get(e.customerId)?.externalId,
            e.grantId,
            e.kind,
            e.currency,
            formatAmount(fromMinorUnits(e.amountCents.toFixed(), e.currency), e.currency),
            formatAmount(fromMinorUnits(e.grantBalanceAfterCents.toFixed(), e.currency), e.currency),
            e.invoiceId,
            e.invoiceLineKey,
            e.meterCode,
            dimensionsText(e.dimensions),
            e.description,
          ]);
        }
        if (entries.length < pageSize) return;
        after = entries[entries.length - 1].id;
      }
    })(),
  };
}
