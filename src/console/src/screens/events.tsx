import { useEffect, useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { EVENTS, FEATURES, METER_BY_CODE } from '../api/queries';
import type { Connection, UsageEvent } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { formatDateTime, formatPeriod } from '../format';

interface EventsFilter {
  customerId?: string;
  eventName?: string;
  from?: string;
  to?: string;
  dimensions?: Record<string, string>;
}

/** Reads the filter from the address: customerId, from, to, eventName or meterCode, dim.<key>=<value>. */
function filterFromQuery(query: URLSearchParams): { filter: EventsFilter; meterCode: string | null } {
  const dimensions: Record<string, string> = {};
  for (const [key, value] of query) if (key.startsWith('dim.')) dimensions[key.slice(4)] = value;
  const filter: EventsFilter = {};
  for (const key of ['customerId', 'eventName', 'from', 'to'] as const) {
    const value = query.get(key);
    if (value) filter[key] = value;
  }
  if (Object.keys(dimensions).length) filter.dimensions = dimensions;
  return { filter, meterCode: query.get('meterCode') };
}

function FilterChips({ filter, meterCode }: { filter: EventsFilter; meterCode: string | null }) {
  return (
    <ul class="chips" aria-label="Filters">
      {filter.customerId ? (
        <li>
          Customer <Link href={`/customers/${filter.customerId}`}>{filter.customerId}</Link>
        </li>
      ) : null}
      {filter.from ? <li>Period {formatPeriod(filter.from, filter.to)}</li> : null}
      {meterCode ? <li>Meter {meterCode}</li> : null}
      {filter.eventName ? <li>Event {filter.eventName}</li> : null}
      {Object.entries(filter.dimensions ?? {}).map(([key, value]) => (
        <li key={key}>
          {key} = {value}
        </li>
      ))}
    </ul>
  );
}

function EventsTable({ events, more }: { events: UsageEvent[]; more: boolean }) {
  // A dimensions filter reads a bounded number of events per page, so a page can be empty with more to read.
  if (events.length === 0 && more)
    return <p class="empty">No matches among the events read so far: load more to keep looking.</p>;
  if (events.length === 0) return <p class="empty">No events match these filters.</p>;
  return (
    <div class="table-wrap">
      <table class="events">
        <caption class="visually-hidden">Usage events</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Idempotency key</th>
            <th scope="col">Properties</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatDateTime(event.timestamp)}</td>
              <td>{event.eventName}</td>
              <th scope="row">
                <code>{event.idempotencyKey ?? event.id}</code>
              </th>
              <td>
                <dl class="props">
                  {Object.entries(event.properties ?? {}).map(([key, value]) => (
                    <div key={key}>
                      <dt>{key}</dt>
                      <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                    </div>
                  ))}
                </dl>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The usage events behind an invoice quantity (or any filter put in the address). */
export function EventsScreen({ query }: { query: URLSearchParams }) {
  const available = useFeature('events');
  const { filter, meterCode } = filterFromQuery(query);
  const meter = useQuery<{ meterByCode: { eventName: string } }>(
    METER_BY_CODE,
    { code: meterCode ?? '' },
    { skip: !available || !meterCode || Boolean(filter.eventName) },
  );
  const eventName = filter.eventName ?? meter.data?.meterByCode.eventName;
  const ready = !meterCode || Boolean(eventName) || Boolean(meter.error);
  const fullFilter = eventName ? { ...filter, eventName } : filter;
  const [after, setAfter] = useState<string | null>(null);
  const [pages, setPages] = useState<UsageEvent[]>([]);
  const events = useQuery<{ events: Connection<UsageEvent> }>(
    EVENTS,
    { filter: fullFilter, first: 50, after },
    { skip: !available || !ready },
  );
  useEffect(() => {
    setAfter(null);
    setPages([]);
  }, [query.toString()]);
  useEffect(() => {
    if (events.data)
      setPages((previous) =>
        after ? [...previous, ...events.data!.events.nodes] : events.data!.events.nodes,
      );
  }, [events.data]);
  const label = query.get('label');

  return (
    <Page title={label ? `Events: ${label}` : 'Usage events'} subtitle="Newest first.">
      {!available ? (
        <Unavailable fields={FEATURES.events} />
      ) : (
        <>
          <FilterChips filter={fullFilter} meterCode={meterCode} />
          <ErrorNotice error={meter.error} action="find the meter" />
          <ErrorNotice error={events.error} action="load the events" />
          {events.loading && pages.length === 0 ? <Loading what="events" /> : null}
          {events.data || pages.length ? (
            <EventsTable events={pages} more={Boolean(events.data?.events.pageInfo?.hasNextPage)} />
          ) : null}
          {events.data?.events.pageInfo?.hasNextPage ? (
            <button
              type="button"
              onClick={() => setAfter(events.data!.events.pageInfo!.endCursor)}
              disabled={events.loading}
            >
              {events.loading ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
        </>
      )}
    </Page>
  );
}
