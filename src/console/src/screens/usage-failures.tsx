import { useState } from 'preact/hooks';
import { useFeature, useMutation, useQuery } from '../api/hooks';
import { FEATURES, RETRY_USAGE_EVENT_FAILURES, USAGE_EVENT_FAILURES } from '../api/queries';
import type { Connection, UsageEventFailure } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { formatDateTime } from '../format';

const PAGE_SIZE = 100;

type FailuresData = { usageEventFailures: Connection<UsageEventFailure> };

/** Where a set-aside event is in the events explorer: its customer, its own millisecond. */
function eventHref(failure: UsageEventFailure): string | null {
  if (!failure.customerId || !failure.timestamp) return null;
  const at = Date.parse(failure.timestamp);
  const params = new URLSearchParams({
    customerId: failure.customerId,
    from: failure.timestamp,
    to: new Date(at + 1).toISOString(),
    label: `event ${failure.eventId}`,
  });
  if (failure.eventName) params.set('eventName', failure.eventName);
  return `/events?${params.toString()}`;
}

function FailureStatus({ failure }: { failure: UsageEventFailure }) {
  if (failure.resolvedAt) return <span class="badge badge-ok">resolved</span>;
  if (failure.retryRequestedAt) return <span class="badge badge-info">retry queued</span>;
  return <span class="badge badge-bad">set aside</span>;
}

/** A failure a retry request may still re-queue. */
const retryable = (failure: UsageEventFailure) => !failure.resolvedAt && !failure.retryRequestedAt;

function FailuresTable({
  failures,
  retrying,
  onRetry,
}: {
  failures: UsageEventFailure[];
  retrying: boolean;
  onRetry: (ids: string[]) => void;
}) {
  if (failures.length === 0)
    return <p class="empty">No usage events are set aside: every stored event is in the usage figures.</p>;
  return (
    <div class="table-wrap">
      <table class="usage-failures">
        <caption class="visually-hidden">Usage events set aside</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Customer</th>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col">Failed</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {failures.map((failure) => {
            const href = eventHref(failure);
            return (
              <tr key={failure.id}>
                <th scope="row">
                  {href ? (
                    <Link href={href}>{failure.eventName}</Link>
                  ) : (
                    (failure.eventName ?? 'event deleted')
                  )}
                  <div class="muted small">
                    #{failure.eventId} · {formatDateTime(failure.timestamp)}
                  </div>
                </th>
                <td>
                  {failure.customerId ? (
                    <Link href={`/customers/${failure.customerId}`}>{failure.customerId}</Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <code>{failure.code}</code>
                  <div class="small">{failure.reason}</div>
                </td>
                <td class="num">{failure.attempts}</td>
                <td>{formatDateTime(failure.failedAt)}</td>
                <td>
                  <FailureStatus failure={failure} />
                </td>
                <td>
                  {retryable(failure) ? (
                    <button
                      type="button"
                      disabled={retrying}
                      onClick={() => onRetry([failure.id])}
                      aria-label={`Retry event ${failure.eventId}`}
                    >
                      Retry
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Usage events the aggregator could not roll up and set aside (the rest of the usage went on): their usage
 * is missing from the figures, and invoices of their period refuse to finalize, until the cause is fixed
 * and they are retried. A retry only re-queues them; the aggregator rolls them up within seconds, so the
 * list is refreshed on demand rather than polled.
 */
export function UsageFailuresScreen() {
  const available = useFeature('usageFailures');
  const [includeResolved, setIncludeResolved] = useState(false);
  const failures = useQuery<FailuresData>(
    USAGE_EVENT_FAILURES,
    { includeResolved, first: PAGE_SIZE },
    { skip: !available },
  );
  const retry = useMutation<{ retryUsageEventFailures: UsageEventFailure[] }>(RETRY_USAGE_EVENT_FAILURES);
  const nodes = failures.data?.usageEventFailures.nodes ?? [];
  const open = nodes.filter(retryable);

  const onRetry = async (ids: string[]) => {
    const result = await retry.run({ ids });
    if (!result || !failures.data) return;
    const updated = new Map(result.retryUsageEventFailures.map((f) => [f.id, f]));
    const connection = failures.data.usageEventFailures;
    failures.setData({
      usageEventFailures: { ...connection, nodes: connection.nodes.map((f) => updated.get(f.id) ?? f) },
    });
  };

  return (
    <Page
      title="Usage failures"
      subtitle="Usage events the aggregator set aside. Their usage is missing until their cause is fixed and they are retried."
      actions={
        available ? (
          <>
            <button type="button" onClick={failures.reload} disabled={failures.loading}>
              Refresh
            </button>
            <button
              type="button"
              class="primary"
              disabled={retry.running || open.length === 0}
              onClick={() => onRetry(open.map((f) => f.id))}
            >
              Retry all ({open.length})
            </button>
          </>
        ) : null
      }
    >
      {!available ? (
        <Unavailable fields={FEATURES.usageFailures} />
      ) : (
        <>
          <div class="segmented" role="group" aria-label="Which usage failures">
            <button type="button" aria-pressed={!includeResolved} onClick={() => setIncludeResolved(false)}>
              Unresolved
            </button>
            <button type="button" aria-pressed={includeResolved} onClick={() => setIncludeResolved(true)}>
              All
            </button>
          </div>
          <ErrorNotice error={failures.error} action="load the usage failures" />
          <ErrorNotice error={retry.error} action="retry" />
          {failures.loading && !failures.data ? <Loading what="usage failures" /> : null}
          {failures.data ? (
            <FailuresTable failures={nodes} retrying={retry.running} onRetry={onRetry} />
          ) : null}
          {failures.data?.usageEventFailures.pageInfo?.hasNextPage ? (
            <p class="muted small">Showing the newest {PAGE_SIZE}.</p>
          ) : null}
        </>
      )}
    </Page>
  );
}
