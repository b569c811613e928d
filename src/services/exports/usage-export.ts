import type { RequestContext } from '../../context';
import type { CsvValue } from '../../domain/csv';
import { parseDimensionKey } from '../../domain/dimensions';
import { Decimal } from '../../domain/money';
import type { MeterAggregation } from '../../domain/usage-event';
import { MeterEntity } from '../../entities/meter.entity';
import type { ExportFilter } from './export-filter';
import { customersById, dimensionsText, type CsvExport } from './export-rows';

export const USAGE_HEADER = [
  'day',
  'customer_id',
  'customer_external_id',
  'meter_code',
  'aggregation',
  'dimensions',
  'quantity',
  'event_count',
] as const;

interface AggregateRow {
  customer_id: string;
  meter_id: string;
  bucket_start: string | Date;
  dimension_key: string;
  event_count: string;
  sum_value: string;
  max_value: string | null;
}

/** One output row in the making: a day's hours of one customer, meter and dimension combination. */
interface DayTotal {
  events: number;
  sum: Decimal;
  max: Decimal | null;
}

const hourText = (value: string | Date) =>
  value instanceof Date ? value.toISOString() : `${value.replace(' ', 'T').slice(0, 19)}Z`;

/**
 * Usage per UTC day, customer, meter and dimension combination, from the hourly aggregates (never raw
 * events). The aggregates are read in primary-key order (customer, meter, hour, dimensions) by keyset pages,
 * so one day of one customer's meter arrives in one run and is written out as soon as the next begins:
 * memory holds one day's combinations, never the whole export. The quantity follows the meter's
 * aggregation (SUM, COUNT, MAX); LATEST and UNIQUE_COUNT have no per-day quantity in the hourly aggregates
 * and leave it empty (their event count is there). The period filter applies to the hour.
 */
export function usageExport(ctx: RequestContext, filter: ExportFilter, pageSize: number): CsvExport {
  return {
    header: USAGE_HEADER,
    pages: (async function* () {
      const meters = new Map(
        (await ctx.repo(MeterEntity).find({ where: { environmentId: ctx.environmentId } })).map((m) => [
          m.id,
          { code: m.code, aggregation: m.aggregation as MeterAggregation },
        ]),
      );
      let group: { customerId: string; meterId: string; day: string } | null = null;
      let totals = new Map<string, DayTotal>();
      let out: Array<{ customerId: string; values: CsvValue[] }> = [];

      const flush = () => {
        if (!group) return;
        const meter = meters.get(group.meterId);
        for (const key of [...totals.keys()].sort()) {
          const total = totals.get(key)!;
          const quantity =
            meter?.aggregation === 'SUM'
              ? total.sum.toFixed()
              : meter?.aggregation === 'COUNT'
                ? String(total.events)
                : meter?.aggregation === 'MAX'
                  ? (total.max?.toFixed() ?? null)
                  : null;
          out.push({
            customerId: group.customerId,
            values: [
              group.day,
              group.customerId,
              null,
              meter?.code ?? group.meterId,
              meter?.aggregation ?? null,
              dimensionsText(parseDimensionKey(key)),
              quantity,
              total.events,
            ],
          });
        }
        totals = new Map();
      };
      const emit = async () => {
        const customers = await customersById(
          ctx,
          out.map((r) => r.customerId),
        );
        const page = out.map((r) => {
          r.values[2] = customers.get(r.customerId)?.externalId ?? null;
          return r.values;
        });
        out = [];
        return page;
      };

      let after: [string, string, string, string] | null = null;
      for (;;) {
        const where = ['environment_id = ?'];
        const params: unknown[] = [ctx.environmentId];
        if (filter.customerId) {
          where.push('customer_id = ?');
          params.push(filter.customerId);
        }
        if (filter.from) {
          where.push('bucket_start >= ?');
          params.push(filter.from);
        }
        if (filter.to) {
          where.push('bucket_start < ?');
          params.push(filter.to);
        }
        if (after) {
          where.push('(customer_id, meter_id, bucket_start, dimension_key) > (?, ?, ?, ?)');
          params.push(...after);
        }
        const rows = (await ctx.manager.query(
          `SELECT customer_id, meter_id, bucket_start, dimension_key, event_count, sum_value, max_value
             FROM usage_aggregates WHERE ${where.join(' AND ')}
            ORDER BY customer_id, meter_id, bucket_start, dimension_key LIMIT ?`,
          [...params, pageSize],
        )) as AggregateRow[];
        for (const row of rows) {
          const day = hourText(row.bucket_start).slice(0, 10);
          if (
            !group ||
            group.customerId !== row.customer_id ||
            group.meterId !== row.meter_id ||
            group.day !== day
          ) {
            flush();
            group = { customerId: row.customer_id, meterId: row.meter_id, day };
          }
          const total = totals.get(row.dimension_key) ?? { events: 0, sum: new Decimal(0), max: null };
          total.events += Number(row.event_count);
          total.sum = total.sum.plus(row.sum_value);
          if (row.max_value !== null && (total.max === null || total.max.lt(row.max_value)))
            total.max = new Decimal(row.max_value);
          totals.set(row.dimension_key, total);
        }
        if (out.length >= pageSize) yield await emit();
        if (rows.length < pageSize) break;
        const last = rows[rows.length - 1];
        after = [
          last.customer_id,
          last.meter_id,
          hourText(last.bucket_start).replace('T', ' ').slice(0, 19),
          last.dimension_key,
        ];
      }
      flush();
      if (out.length) yield await emit();
    })(),
  };
}
