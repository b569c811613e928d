import { pageComplexity } from './pagination';

/**
 * Query-cost hint for unpaginated relation lists (a plan's items, a card's entries): children are
 * assumed to repeat about ten times, so nesting such lists under a page is priced realistically.
 */
export const relationListComplexity = ({ childComplexity }: { childComplexity: number }) =>
  1 + 10 * childComplexity;

/**
 * What a `dimensions` filter on the events explorer adds to a query's cost. Dimension values are not
 * indexed on raw events, so the filter reads every event of its time window (up to a month of an
 * environment's events) however small the page: priced like thousands of fields, a few such filters fit in
 * one query and a burst of aliases is refused before anything runs.
 */
export const DIMENSIONS_FILTER_COST = 4_000;

/** Query-cost hint for the events explorer: a page, plus the scan a dimensions filter forces. */
export const eventsComplexity = ({
  args,
  childComplexity,
}: {
  args: { first?: number; filter?: { dimensions?: Record<string, unknown> | null } | null };
  childComplexity: number;
}) => {
  const dimensions = args.filter?.dimensions;
  const scan = dimensions && Object.keys(dimensions).length ? DIMENSIONS_FILTER_COST : 0;
  return pageComplexity({ args, childComplexity }) + scan;
};
