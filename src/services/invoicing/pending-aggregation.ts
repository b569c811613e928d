import type { RequestContext } from '../../context';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { UsageAggregationService } from '../usage';
import type { InvoiceCatalogService } from './invoice-catalog.service';

/** What invoicing needs from the usage module: whether some usage of a period is not rolled up yet. */
export type PendingAggregation = Pick<UsageAggregationService, 'pendingAggregation'>;

/**
 * True when some event of the customer inside the invoice's period is stored but not yet rolled up (the
 * aggregator is behind, or a backfill of one of the contract's meters has yet to reach such an event;
 * a meter backfilling other customers' or other periods' events does not hold this invoice up). Freezing then would miss that
 * usage. The usage module owns its progress row; invoicing only asks.
 */
export async function hasUnaggregatedUsage(
  tx: RequestContext,
  invoice: InvoiceEntity,
  catalog: InvoiceCatalogService,
  usage: PendingAggregation,
): Promise<boolean> {
  const meterIds = [...(await catalog.load(tx, invoice.contractId!)).meters.keys()];
  return usage.pendingAggregation(tx, {
    environmentId: invoice.environmentId,
    customerId: invoice.customerId,
    from: invoice.periodStart,
    to: invoice.periodEnd,
    meterIds,
  });
}
