import { useEffect, useRef, useState } from 'preact/hooks';
import { useFeature, useMutation, useQuery } from '../api/hooks';
import {
  CONFIRM_CONTRACT_DRAFT,
  CONTRACT_DRAFT,
  DRAFT_CATALOG,
  FEATURES,
  REJECT_CONTRACT_DRAFT,
  UPDATE_CONTRACT_DRAFT,
} from '../api/queries';
import type { Connection, ContractDraft, PlanOption } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page, Panel } from '../components/page';
import { formatDateTime } from '../format';
import { SourceLabel } from './drafts';
import { DraftChanges } from './draft/draft-changes';
import { DraftIssueList, DraftIssues } from './draft/draft-issues';
import { ExpansionNotice } from './draft/expansion-notice';
import { ProductMatches } from './draft/product-matches';
import { ReviewSummary } from './draft/review-summary';
import {
  contentToForm,
  formToInput,
  TermsForm,
  type FormErrors,
  type TermsFormValues,
} from './draft/terms-form';

type Step = 'terms' | 'review';
const REVIEWABLE = new Set(['PENDING']);

function Steps({ step }: { step: Step }) {
  const steps: Array<[Step, string]> = [
    ['terms', 'Commercial terms'],
    ['review', 'Review contract information'],
  ];
  return (
    <ol class="steps" aria-label="Review steps">
      {steps.map(([id, label], i) => (
        <li key={id} aria-current={step === id ? 'step' : undefined}>
          <span class="step-number">{i + 1}</span> {label}
        </li>
      ))}
    </ol>
  );
}

function RejectForm({ onReject, running }: { onReject: (reason: string) => void; running: boolean }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (open) textarea.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <button type="button" class="danger-outline" onClick={() => setOpen(true)}>
        Reject…
      </button>
    );
  }
  return (
    <form
      class="reject-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!reason.trim()) return setError('Say why the draft is rejected.');
        onReject(reason.trim());
      }}
    >
      <label for="reject-reason">Reason for rejecting</label>
      <textarea
        id="reject-reason"
        ref={textarea}
        rows={3}
        value={reason}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
      />
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="button-row">
        <button type="submit" class="danger" disabled={running}>
          {running ? 'Rejecting…' : 'Reject draft'}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DecidedNotice({ draft }: { draft: ContractDraft }) {
  if (draft.status === 'CONFIRMED') {
    return (
      <div class="notice notice-ok" role="status">
        <strong>Confirmed.</strong> The contract is active.{' '}
        {draft.confirmedCustomerId ? (
          <Link href={`/customers/${draft.confirmedCustomerId}`}>Open the customer</Link>
        ) : null}
      </div>
    );
  }
  if (draft.status === 'REJECTED') {
    return (
      <div class="notice notice-error" role="status">
        <strong>Rejected.</strong> {draft.rejectReason ?? ''}
      </div>
    );
  }
  return (
    <div class="notice" role="status">
      This draft is {draft.status.toLowerCase().replace(/_/g, ' ')} and can no longer be changed.
    </div>
  );
}

interface CatalogData {
  plans: Connection<PlanOption>;
}

export function DraftReviewScreen({ id }: { id: string }) {
  const available = useFeature('drafts');
  const canEdit = useFeature('draftEdit');
  const canDecide = useFeature('draftDecide');
  const query = useQuery<{ contractDraft: ContractDraft }>(CONTRACT_DRAFT, { id }, { skip: !available });
  const catalog = useQuery<CatalogData>(DRAFT_CATALOG, {}, { skip: !available });
  const update = useMutation<{ updateContractDraft: Partial<ContractDraft> }>(UPDATE_CONTRACT_DRAFT);
  const confirm = useMutation<{ confirmContractDraft: Partial<ContractDraft> }>(CONFIRM_CONTRACT_DRAFT);
  // An expansion's promotional credits carry over unless the reviewer unticks it.
  const [carryOver, setCarryOver] = useState(true);
  const reject = useMutation<{ rejectContractDraft: Partial<ContractDraft> }>(REJECT_CONTRACT_DRAFT);
  const [step, setStep] = useState<Step>('terms');
  const [values, setValues] = useState<TermsFormValues | null>(null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [saved, setSaved] = useState(false);

  const draft = query.data?.contractDraft ?? null;
  const plans = catalog.data?.plans.nodes ?? [];
  useEffect(() => {
    if (draft) setValues(contentToForm(draft));
  }, [draft?.id, draft?.updatedAt]);

  if (!available) {
    return (
      <Page title="Contract draft">
        <Unavailable fields={FEATURES.drafts} />
      </Page>
    );
  }
  if (!draft || !values) {
    return (
      <Page title="Contract draft">
        <ErrorNotice error={query.error} action="load the draft" />
        {query.loading ? <Loading what="the draft" /> : null}
      </Page>
    );
  }

  const currency = draft.currency ?? plans.find((p) => p.id === values.planId)?.currency ?? 'USD';
  const editable = REVIEWABLE.has(draft.status) && canEdit;
  const original = contentToForm(draft);
  const dirty = JSON.stringify(values) !== JSON.stringify(original);
  const merge = (patch: Partial<ContractDraft>) => query.setData({ contractDraft: { ...draft, ...patch } });

  const save = async (): Promise<boolean> => {
    const { input, errors: found } = formToInput(values, original, draft);
    setErrors(found);
    if (Object.keys(found).length) return false;
    const result = await update.run({ id: draft.id, input });
    if (!result) return false;
    merge(result.updateContractDraft);
    setSaved(true);
    return true;
  };
  const next = async () => {
    if (editable && dirty && !(await save())) return;
    setStep('review');
  };
  const onConfirm = async () => {
    const result = await confirm.run({
      id: draft.id,
      ...(draft.expansionOf ? { carryOverPromotionalCredits: carryOver } : {}),
    });
    if (result) merge(result.confirmContractDraft);
  };
  const onReject = async (reason: string) => {
    const result = await reject.run({ id: draft.id, reason });
    if (result) merge(result.rejectContractDraft);
  };

  const name = draft.customerSummary?.name ?? draft.customer.proposedName ?? draft.opportunityName;
  return (
    <Page
      title={name ? `Contract draft: ${name}` : 'Contract draft'}
      subtitle={
        <>
          <SourceLabel source={draft.source} /> <StatusBadge status={draft.status} />
          {draft.opportunityId ? (
            <span class="muted">
              {' '}
              · opportunity {draft.opportunityName ?? ''} ({draft.opportunityId})
            </span>
          ) : null}
          <span class="muted"> · updated {formatDateTime(draft.updatedAt)}</span>
        </>
      }
      actions={<Link href="/drafts">All drafts</Link>}
    >
      {!REVIEWABLE.has(draft.status) ? <DecidedNotice draft={draft} /> : <Steps step={step} />}
      {draft.expansionOf ? (
        <ExpansionNotice
          expansion={draft.expansionOf}
          carryOver={carryOver}
          onCarryOverChange={setCarryOver}
          editable={REVIEWABLE.has(draft.status)}
        />
      ) : null}
      <ErrorNotice error={update.error} action="save the terms" />
      <ErrorNotice error={confirm.error} action="confirm the draft" />
      <ErrorNotice error={reject.error} action="reject the draft" />

      {step === 'terms' || !REVIEWABLE.has(draft.status) ? (
        <>
          <DraftIssues issues={draft.issues} />
          {draft.source === 'SALESFORCE' || draft.changes.length ? (
            <DraftChanges changes={draft.changes} />
          ) : null}
          <Panel title="Commercial terms" id="commercial-terms">
            <TermsForm
              values={values}
              onChange={(v) => {
                setValues(v);
                setSaved(false);
              }}
              errors={errors}
              issues={draft.issues}
              plans={plans}
              currency={currency}
              matchedCustomer={Boolean(draft.customer.matchedCustomerId)}
              readOnly={!editable}
            />
            {editable ? (
              <div class="button-row">
                <button type="button" onClick={() => void save()} disabled={!dirty || update.running}>
                  {update.running ? 'Saving…' : 'Save changes'}
                </button>
                {saved && !dirty ? (
                  <span class="muted" role="status">
                    Saved.
                  </span>
                ) : null}
              </div>
            ) : null}
          </Panel>
          <ErrorNotice error={catalog.error} action="load the plans" />
          <ProductMatches terms={draft} currency={currency} />
          {REVIEWABLE.has(draft.status) ? (
            <div class="flow-actions">
              <button type="button" class="primary" onClick={() => void next()} disabled={update.running}>
                Next
              </button>
            </div>
          ) : null}
        </>
      ) : (
        <Panel title="Review contract information" id="review">
          <ReviewSummary draft={draft} plans={plans} />
          {draft.issues.length ? (
            <div class="notice notice-warn">
              <p>
                {draft.issues.length} {draft.issues.length === 1 ? 'issue is' : 'issues are'} still open
                {draft.issues.some((i) => i.blocking)
                  ? ' and blocking: go back to fix them before confirming.'
                  : '.'}
              </p>
              <DraftIssueList issues={draft.issues} />
            </div>
          ) : null}
          <div class="flow-actions">
            <button type="button" onClick={() => setStep('terms')}>
              Back
            </button>
            {canDecide ? (
              <>
                <button
                  type="button"
                  class="primary"
                  onClick={() => void onConfirm()}
                  disabled={confirm.running}
                >
                  {confirm.running ? 'Confirming…' : 'Confirm'}
                </button>
                <RejectForm onReject={(reason) => void onReject(reason)} running={reject.running} />
              </>
            ) : (
              <Unavailable fields={FEATURES.draftDecide} />
            )}
          </div>
        </Panel>
      )}
    </Page>
  );
}
