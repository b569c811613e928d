import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../../domain/errors';

/** A page of results as services return it; the GraphQL layer turns it into a connection. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}

export interface PageArgs {
  first?: number | null;
  /** The id (already decoded from the cursor) to continue after. */
  afterId?: string | null;
}

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export function checkPageSize(first: number | undefined | null, field = 'first'): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(field, `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/**
 * Keyset pagination on the id column (ids sort by creation time). Reads one row more than asked
 * to know whether another page follows.
 */
export async function pageById<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  order: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const size = checkPageSize(args.first);
  const alias = qb.alias;
  if (args.afterId)
    qb.andWhere(`${alias}.id ${order === 'ASC' ? '>' : '<'} :afterId`, { afterId: args.afterId });
  const rows = await qb
    .orderBy(`${alias}.id`, order)
    .take(size + 1)
    .getMany();
  return { nodes: rows.slice(0, size), hasNextPage: rows.length > size };
}
