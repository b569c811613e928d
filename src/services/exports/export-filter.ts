import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../domain/errors';
import { CustomerEntity } from '../../entities/customer.entity';

/** What an export is limited to: a period [from, to) and one customer; null means no limit. */
export interface ExportFilter {
  from: Date | null;
  to: Date | null;
  customerId: string | null;
}

export interface RawExportFilter {
  from?: string | null;
  to?: string | null;
  customerId?: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2026-11-01` (midnight UTC) or an ISO instant with its zone; anything else is refused naming the field. */
function parseInstant(value: string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const text = value.trim();
  const date = DATE.test(text)
    ? new Date(`${text}T00:00:00.000Z`)
    : DATE_TIME.test(text)
      ? new Date(text)
      : null;
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    (DATE.test(text) && date.toISOString().slice(0, 10) !== text)
  ) {
    throw badInput(
      field,
      'must be a date (2026-11-01) or an ISO date-time with its zone (2026-11-01T00:00:00Z)',
    );
  }
  return date;
}

/**
 * Checks an export's query parameters before any row is read or any byte is sent: dates that parse, `to`
 * after `from`, and a customer of the caller's environment (a Tally id or the customer's external id).
 */
export async function checkExportFilter(ctx: RequestContext, raw: RawExportFilter): Promise<ExportFilter> {
  const from = parseInstant(raw.from, 'from');
  const to = parseInstant(raw.to, 'to');
  if (from && to && to.getTime() <= from.getTime()) throw badInput('to', 'must be after from');
  let customerId: string | null = null;
  const ref = raw.customerId?.trim();
  if (raw.customerId !== null && raw.customerId !== undefined) {
    if (!ref || ref.length > 255) throw badInput('customerId', 'must be 1 to 255 characters');
    const customer = await ctx.repo(CustomerEntity).findOne({
      where: [
        { id: ref, environmentId: ctx.environmentId },
        { externalId: ref, environmentId: ctx.environmentId },
      ],
    });
    if (!customer) throw notFound('Customer', ref, 'customerId');
    customerId = customer.id;
  }
  return { from, to, customerId };
}
