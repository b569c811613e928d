import type { ContractDraft, PlanOption } from '../../api/types';
import { formatCents, formatDate, formatPeriod, humanize } from '../../format';

/** Step 3 of the flow: everything that confirming will create, in one read. */
export function ReviewSummary({ draft, plans }: { draft: ContractDraft; plans: PlanOption[] }) {
  const terms = draft.terms;
  const currency = terms.currency ?? 'USD';
  const plan = plans.find((p) => p.id === terms.planId)?.name ?? terms.planName ?? '—';
  const matched = draft.productMatches.filter((m) => m.matched);
  const grant = terms.creditGrantCents !== null && terms.creditGrantCents !== undefined && `${terms.creditGrantCents}` !== '0';
  return (
    <div class="summary">
      <dl class="summary-list">
        <dt>Customer</dt>
        <dd>
          {terms.customerName ?? '—'}
          {terms.customerId ? <span class="muted"> (existing customer)</span> : <span class="muted"> (new customer)</span>}
        </dd>
        <dt>Contract period</dt>
        <dd>{formatPeriod(terms.startDate, terms.endDate)}</dd>
        <dt>Payment terms</dt>
        <dd>{terms.paymentTermsDays !== null && terms.paymentTermsDays !== undefined ? `${terms.paymentTermsDays} days` : '—'}</dd>
        <dt>Billing cycle</dt>
        <dd>{terms.billingCycle ? humanize(terms.billingCycle) : 'Plan default'}</dd>
        <dt>Pricing plan</dt>
        <dd>{plan}</dd>
        <dt>Prepaid credits</dt>
        <dd>
          {grant
            ? `${formatCents(terms.creditGrantCents, currency)}, expiring ${formatDate(terms.creditExpiresAt)}`
            : 'None'}
        </dd>
        <dt>Commitment invoice</dt>
        <dd>{terms.creditInvoiceAmountCents ? formatCents(terms.creditInvoiceAmountCents, currency) : 'None'}</dd>
        <dt>Products</dt>
        <dd>
          {matched.length} of {draft.productMatches.length} matched
          {matched.length ? `: ${matched.map((m) => m.pricing?.name ?? m.productName).join(', ')}` : ''}
        </dd>
      </dl>
      <p class="muted small">
        Confirming creates or matches the customer, activates the contract with these terms, grants the credits and
        pre-generates the invoices of each billing period.
      </p>
    </div>
  );
}
