import { EVENTS_SCAN_LIMIT } from '../services/usage';
import { pageComplexity } from './pagination';

/**
 * Query-cost hint for unpaginated relation lists (a plan's items, a card's entries): children are
 * assumed to repeat about ten times, so nesting such lists under a page is priced realistically.
 */
export const relationListComplexity = ({ childComplexity }: { childComplexity: number }) =>
  1 + 10 * childComplexity;

/**
 * What a row-by-row filter of the events explorer adds to a query's cost: it may read EVENTS_SCAN_LIMIT
 * events whatever `first` is. A scanned row is priced at half a field (it is read and tested, but neither
 * resolved nor sent). Measured on 208k events: a full scan takes about 25–30 ms of MariaDB time against
 * about 1 ms for a plain page of 50 (cost about 300), so 5,000 errs on the safe side. One such explorer
 * costs a quarter of the default limit (20,000): three fit in a query, and a burst of aliases is refused
 * before anything runs.
 */
export const EVENTS_SCAN_COST = EVENTS_SCAN_LIMIT / 2;

interface EventsArgs {
  first?: number;
  filter?: {
    customerId?: string | null;
    eventName?: string | null;
    dimensions?: Record<string, unknown> | null;
  } | null;
}

/** True when the explorer's filter is tested row by row (see listEvents): dimensions, or a name alone. */
function scansRows(filter: EventsArgs['filter']): boolean {
  if (!filter) return false;
  if (filter.dimensions && Object.keys(filter.dimensions).length) return true;
  return Boolean(filter.eventName) && !filter.customerId;
}

/** Query-cost hint for the events explorer: a page, plus the scan a row-by-row filter may make. */
export const eventsComplexity = ({ args, childComplexity }: { args: EventsArgs; childComplexity: number }) =>
  pageComplexity({ args, childComplexity }) + (scansRows(args.filter) ? EVENTS_SCAN_COST : 0);
