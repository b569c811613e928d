import { useFeature, useQuery } from '../api/hooks';
import { CREDITS, CUSTOMER, FEATURES } from '../api/queries';
import type { Connection, CreditBalance, Customer, LedgerEntry } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page, Panel } from '../components/page';
import { dimensionsLabel, formatDate, formatDateTime, formatMoney, humanize } from '../format';

function GrantsTable({ balance }: { balance: CreditBalance }) {
  if (balance.grants.length === 0) return <p class="empty">No credit grants.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Balance per grant</caption>
        <thead>
          <tr>
            <th scope="col">Grant</th>
            <th scope="col">Type</th>
            <th scope="col" class="num">
              Granted
            </th>
            <th scope="col" class="num">
              Used
            </th>
            <th scope="col" class="num">
              Expired
            </th>
            <th scope="col" class="num">
              Remaining
            </th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {balance.grants.map((grant) => (
            <tr key={grant.grantId}>
              <th scope="row">
                {grant.description || grant.grantId} <StatusBadge status={grant.status} />
              </th>
              <td>{humanize(grant.type)}</td>
              <td class="num">{formatMoney(grant.granted, grant.currency)}</td>
              <td class="num">{formatMoney(grant.used, grant.currency)}</td>
              <td class="num">{formatMoney(grant.expired, grant.currency)}</td>
              <td class="num strong">{formatMoney(grant.remaining, grant.currency)}</td>
              <td>{formatDate(grant.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LedgerTable({ entries }: { entries: LedgerEntry[] }) {
  if (entries.length === 0) return <p class="empty">The ledger is empty.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Credit ledger</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Entry</th>
            <th scope="col">Description</th>
            <th scope="col">Dimensions</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col" class="num">
              Grant balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.createdAt)}</td>
              <td>
                <StatusBadge status={entry.kind} />
              </td>
              <th scope="row">
                {entry.description ?? '—'}
                {entry.invoiceId ? (
                  <>
                    {' '}
                    <Link href={`/invoices/${entry.invoiceId}`}>invoice</Link>
                  </>
                ) : null}
              </th>
              <td>
                {entry.meterCode ? <code>{entry.meterCode}</code> : null}{' '}
                {dimensionsLabel(entry.dimensions) || (entry.meterCode ? '' : '—')}
              </td>
              <td class="num">{formatMoney(entry.amount, entry.currency)}</td>
              <td class="num">{formatMoney(entry.grantBalanceAfter, entry.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A customer's credit wallet: balance per grant and every ledger entry (grants, deductions, expiries). */
export function CreditsScreen({ customerId }: { customerId: string }) {
  const available = useFeature('credits');
  const customer = useQuery<{ customer: Customer }>(CUSTOMER, { id: customerId });
  const { data, error, loading } = useQuery<{
    creditBalance: CreditBalance;
    creditLedger: Connection<LedgerEntry>;
  }>(CREDITS, { customerId, first: 100 }, { skip: !available });
  const name = customer.data?.customer.name;
  return (
    <Page
      title={name ? `Credits: ${name}` : 'Credits'}
      actions={<Link href={`/customers/${customerId}`}>Back to customer</Link>}
    >
      {!available ? <Unavailable fields={FEATURES.credits} /> : null}
      <ErrorNotice error={error} action="load the credits" />
      {loading && !data ? <Loading what="credits" /> : null}
      {data ? (
        <>
          <p class="balance">
            Balance{' '}
            {data.creditBalance.totals.length === 0 ? (
              <strong>{formatMoney('0', 'USD')}</strong>
            ) : (
              data.creditBalance.totals.map((total, i) => (
                <span key={total.currency}>
                  {i ? ' · ' : ''}
                  <strong>{formatMoney(total.remaining, total.currency)}</strong>{' '}
                  <span class="muted small">
                    of {formatMoney(total.granted, total.currency)} granted,{' '}
                    {formatMoney(total.used, total.currency)} used,{' '}
                    {formatMoney(total.expired, total.currency)} expired
                  </span>
                </span>
              ))
            )}
          </p>
          <Panel title="Balance per grant">
            <GrantsTable balance={data.creditBalance} />
          </Panel>
          <Panel title="Ledger">
            <LedgerTable entries={data.creditLedger.nodes} />
          </Panel>
        </>
      ) : null}
    </Page>
  );
}
