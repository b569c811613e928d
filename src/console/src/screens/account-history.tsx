import { useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { ACCOUNT_HISTORY, FEATURES } from '../api/queries';
import type { AccountHistoryEntry, Connection } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Panel } from '../components/page';
import { formatDateTime, formatMoney, humanize } from '../format';

const KINDS = ['SIGN_UP', 'CONTRACT', 'CONTRACT_DRAFT', 'INVOICE', 'PAYMENT', 'CREDIT'] as const;

/** The customer's account history, newest first, filterable by kind, 50 entries at a time. */
export function AccountHistoryPanel({ customerId }: { customerId: string }) {
  const available = useFeature('accountHistory');
  const [kind, setKind] = useState<string>('');
  const [after, setAfter] = useState<string | null>(null);
  const { data, error, loading } = useQuery<{ accountHistory: Connection<AccountHistoryEntry> }>(
    ACCOUNT_HISTORY,
    { customerId, kinds: kind ? [kind] : null, first: 50, after },
    { skip: !available },
  );
  const entries = data?.accountHistory.nodes ?? [];
  const pageInfo = data?.accountHistory.pageInfo;
  return (
    <Panel title="Account history">
      {!available ? <Unavailable fields={FEATURES.accountHistory} /> : null}
      <label>
        Show{' '}
        <select
          value={kind}
          onChange={(event) => {
            setKind((event.target as HTMLSelectElement).value);
            setAfter(null);
          }}
        >
          <option value="">everything</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {humanize(k)}
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={error} action="load the account history" />
      {loading && !data ? <Loading what="the account history" /> : null}
      {data && entries.length === 0 ? <p class="empty">Nothing yet.</p> : null}
      {entries.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
                <th scope="col" class="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{humanize(entry.event)}</td>
                  <td>{entry.summary}</td>
                  <td class="num">
                    {entry.amount && entry.currency ? formatMoney(entry.amount, entry.currency) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {after ? (
        <button type="button" onClick={() => setAfter(null)}>
          Newest entries
        </button>
      ) : null}
      {pageInfo?.hasNextPage ? (
        <button type="button" onClick={() => setAfter(pageInfo.endCursor)}>
          Older entries
        </button>
      ) : null}
    </Panel>
  );
}
