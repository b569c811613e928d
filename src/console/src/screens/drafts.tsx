import { useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { CONTRACT_DRAFTS, DRAFT_CATALOG, FEATURES } from '../api/queries';
import type { Connection, ContractDraftSummary, PlanOption } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { formatDateTime, formatTerm, humanize } from '../format';

const STATUSES = [
  { value: 'PENDING', label: 'To review' },
  { value: 'CONFIRMED', label: 'Confirmed' },
  { value: 'REJECTED', label: 'Rejected' },
  { value: 'VOID', label: 'Voided' },
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

function draftName(draft: ContractDraftSummary): string {
  return draft.customer.proposedName ?? draft.opportunityName ?? draft.id;
}

function dayPeriod(start: string | null, end: string | null): string {
  // Draft dates are calendar days; the end is the last day covered (inclusive).
  return start ? formatTerm(`${start}T00:00:00Z`, end ? `${end}T00:00:00Z` : null) : '—';
}

function DraftsTable({ drafts, plans }: { drafts: ContractDraftSummary[]; plans: Map<string, string> }) {
  if (drafts.length === 0) return <p class="empty">No contract drafts with this status.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Contract drafts</caption>
        <thead>
          <tr>
            <th scope="col">Customer / deal</th>
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
                <Link href={`/drafts/${draft.id}`}>{draftName(draft)}</Link>
                {draft.opportunityName && draft.opportunityName !== draftName(draft) ? (
                  <div class="muted small">{draft.opportunityName}</div>
                ) : null}
                {draft.isReviewItem ? <span class="tag">change to a live contract</span> : null}
              </th>
              <td>
                <SourceLabel source={draft.source} />
              </td>
              <td>
                <StatusBadge status={draft.status} />
              </td>
              <td>{dayPeriod(draft.contractStart, draft.contractEnd)}</td>
              <td>{(draft.plan && plans.get(draft.plan.planId)) ?? '—'}</td>
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
  const [status, setStatus] = useState('PENDING');
  const { data, error, loading } = useQuery<{ contractDrafts: Connection<ContractDraftSummary> }>(
    CONTRACT_DRAFTS,
    { status: status || null, first: 100 },
    { skip: !available },
  );
  const catalog = useQuery<{ plans: Connection<PlanOption> }>(DRAFT_CATALOG, {}, { skip: !available });
  const plans = new Map((catalog.data?.plans.nodes ?? []).map((p) => [p.id, p.name]));
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
          {data ? <DraftsTable drafts={data.contractDrafts.nodes} plans={plans} /> : null}
        </>
      )}
    </Page>
  );
}
