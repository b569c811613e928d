import { useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { CONTRACT_DRAFTS, FEATURES } from '../api/queries';
import type { Connection, ContractDraftSummary } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { formatDateTime, formatPeriod, humanize } from '../format';

const STATUSES = [
  { value: 'PENDING_REVIEW', label: 'To review' },
  { value: 'CONFIRMED', label: 'Confirmed' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'VOIDED', label: 'Voided' },
  { value: '', label: 'All' },
];

/** "Salesforce" / "Manual" (the API says SALESFORCE, MANUAL, …). */
export function SourceLabel({ source }: { source: string }) {
  return <span class={`source source-${source.toLowerCase()}`}>{humanize(source)}</span>;
}

function StatusFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div class="segmented" role="group" aria-label="Filter drafts by status">
      {STATUSES.map((status) => (
        <button
          key={status.value}
          type="button"
          aria-pressed={value === status.value}
          onClick={() => onChange(status.value)}
        >
          {status.label}
        </button>
      ))}
    </div>
  );
}

function DraftsTable({ drafts }: { drafts: ContractDraftSummary[] }) {
  if (drafts.length === 0) return <p class="empty">No contract drafts with this status.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Contract drafts</caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Contract period</th>
            <th scope="col">Plan</th>
            <th scope="col" class="num">
              Issues
            </th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft) => (
            <tr key={draft.id}>
              <th scope="row">
                <Link href={`/drafts/${draft.id}`}>{draft.terms.customerName ?? draft.title ?? draft.id}</Link>
                {draft.title && draft.title !== draft.terms.customerName ? (
                  <div class="muted small">{draft.title}</div>
                ) : null}
              </th>
              <td>
                <SourceLabel source={draft.source} />
              </td>
              <td>
                <StatusBadge status={draft.status} />
              </td>
              <td>{formatPeriod(draft.terms.startDate, draft.terms.endDate)}</td>
              <td>{draft.terms.planName ?? '—'}</td>
              <td class="num">
                {draft.issues.length ? <span class="issue-count">{draft.issues.length}</span> : '0'}
              </td>
              <td>{formatDateTime(draft.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DraftsScreen() {
  const available = useFeature('drafts');
  const [status, setStatus] = useState('PENDING_REVIEW');
  const { data, error, loading } = useQuery<{ contractDrafts: Connection<ContractDraftSummary> }>(
    CONTRACT_DRAFTS,
    { status: status || null, first: 100 },
    { skip: !available },
  );
  return (
    <Page
      title="Contract drafts"
      subtitle="Deals from Salesforce and manual entries waiting for review before billing starts."
    >
      {!available ? (
        <Unavailable fields={FEATURES.drafts} />
      ) : (
        <>
          <StatusFilter value={status} onChange={setStatus} />
          <ErrorNotice error={error} action="load the drafts" />
          {loading && !data ? <Loading what="drafts" /> : null}
          {data ? <DraftsTable drafts={data.contractDrafts.nodes} /> : null}
        </>
      )}
    </Page>
  );
}
