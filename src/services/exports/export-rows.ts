import { In } from 'typeorm';
import type { RequestContext } from '../../context';
import type { CsvValue } from '../../domain/csv';
import { CustomerEntity } from '../../entities/customer.entity';

/** Rows fetched per database round trip: an export never holds more than a page (and its lookups). */
export const EXPORT_PAGE_SIZE = 500;

/** One CSV export: its header and its rows, read page by page as the consumer asks for them. */
export interface CsvExport {
  header: readonly string[];
  pages: AsyncIterable<CsvValue[][]>;
}

export interface CustomerRef {
  externalId: string | null;
  name: string;
}

/** The customers of a page, by id, in one query. */
export async function customersById(
  ctx: RequestContext,
  ids: Iterable<string>,
): Promise<Map<string, CustomerRef>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await ctx.repo(CustomerEntity).find({
    where: { id: In(unique), environmentId: ctx.environmentId },
    select: { id: true, externalId: true, name: true },
  });
  return new Map(rows.map((c) => [c.id, { externalId: c.externalId, name: c.name }]));
}

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** Dimensions as JSON with sorted keys, so equal combinations read the same in every row. */
export function dimensionsText(dimensions: Record<string, string> | null | undefined): string | null {
  if (!dimensions) return null;
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(dimensions).sort()) sorted[key] = dimensions[key];
  return JSON.stringify(sorted);
}
