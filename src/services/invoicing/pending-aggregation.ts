import type { RequestContext } from '../../context';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import { placeholders, sqlDateTime } from '../usage';
import type { InvoiceCatalogService } from './invoice-catalog.service';

/**
 * True when some event of the customer inside the invoice's period is stored but not yet rolled up (the
 * aggregator is behind, or a meter's backfill is running). Freezing then would miss that usage. Only the
 * aggregator's lag is scanned (ids above its watermark), never the customer's whole history.
 */
export async function hasUnaggregatedUsage(
  tx: RequestContext,
  invoice: InvoiceEntity,
  catalog: InvoiceCatalogService,
): Promise<boolean> {
  const [progress] = (await tx.manager.query(
    `SELECT last_event_id, pending_gaps FROM usage_aggregator_progress WHERE stream = 'live'`,
  )) as Array<{ last_event_id: string; pending_gaps: string | Array<[number, number, number]> }>;
  if (!progress) return false;
  const gaps =
    typeof progress.pending_gaps === 'string' ? JSON.parse(progress.pending_gaps) : progress.pending_gaps;
  const ranges: Array<[number, number]> = [
    [Number(progress.last_event_id) + 1, Number.MAX_SAFE_INTEGER],
    ...(gaps as Array<[number, number, number]>).map(([a, b]) => [a, b] as [number, number]),
  ];
  const where = ranges.map(() => '(id BETWEEN ? AND ?)').join(' OR ');
  const [row] = (await tx.manager.query(
    `SELECT 1 AS pending FROM usage_events
      WHERE (${where}) AND environment_id = ? AND customer_id = ? AND occurred_at >= ? AND occurred_at < ?
      LIMIT 1`,
    [
      ...ranges.flat(),
      invoice.environmentId,
      invoice.customerId,
      sqlDateTime(invoice.periodStart),
      sqlDateTime(invoice.periodEnd),
    ],
  )) as unknown[];
  if (row) return true;
  const meterIds = [...(await catalog.load(tx, invoice.contractId!)).meters.keys()];
  if (!meterIds.length) return false;
  const [backfill] = (await tx.manager.query(
    `SELECT 1 AS pending FROM usage_meter_backfills
      WHERE completed_at IS NULL AND meter_id IN (${placeholders(meterIds.length)}) LIMIT 1`,
    meterIds,
  )) as unknown[];
  return Boolean(backfill);
}
