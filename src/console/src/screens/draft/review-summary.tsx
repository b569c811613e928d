import type { ContractDraft, PlanOption } from '../../api/types';
import { formatDate, formatMoney, humanize } from '../../format';

function period(start: string | null, end: string | null): string {
  if (!start) return '—';
  return `${formatDate(`${start}T00:00:00Z`)} – ${end ? `${formatDate(`${end}T00:00:00Z`)} (last day)` : 'evergreen, until cancelled'}`;
}

/** What a term the draft leaves to the plan will be, as the draft's "from plan" note says. */
function fromPlan(draft: ContractDraft, code: string): string {
  return draft.issues.find((issue) => issue.code === code)?.message ?? '—';
}

/** Step 2 of the flow: everything confirming will create, in one read. */
export function ReviewSummary({ draft, plans }: { draft: ContractDraft; plans: PlanOption[] }) {
  const content = draft;
  const plan = plans.find((p) => p.id === content.plan?.planId);
  const currency = content.currency ?? plan?.currency ?? 'USD';
  const credits = content.prepaidCredits;
  return (
    <div class="summary">
      <dl class="summary-list">
        <dt>Customer</dt>
        <dd>
          {content.customer.proposedName ?? content.customer.matchedCustomerId ?? '—'}
          <span class="muted">
            {content.customer.matchedCustomerId ? ' (existing customer)' : ' (new customer)'}
          </span>
        </dd>
        <dt>Contract period</dt>
        <dd>{period(content.contractStart, content.contractEnd)}</dd>
        <dt>Payment terms</dt>
        <dd>
          {content.paymentTermsDays !== null
            ? `${content.paymentTermsDays} days`
            : fromPlan(draft, 'PAYMENT_TERMS_FROM_PLAN')}
        </dd>
        <dt>Billing cycle</dt>
        <dd>
          {content.billingCycle ? humanize(content.billingCycle) : fromPlan(draft, 'BILLING_CYCLE_FROM_PLAN')}
        </dd>
        <dt>Auto-pay</dt>
        <dd>
          {content.autoPay !== null
            ? content.autoPay
              ? 'On'
              : 'Off'
            : fromPlan(draft, 'AUTO_PAY_FROM_PLAN')}
        </dd>
        <dt>Pricing plan</dt>
        <dd>{plan?.name ?? '—'}</dd>
        <dt>Prepaid credits</dt>
        <dd>
          {credits
            ? `${formatMoney(credits.grantAmount, currency)}${credits.expiresOn ? `, expiring ${formatDate(`${credits.expiresOn}T00:00:00Z`)}` : ''}`
            : 'None'}
        </dd>
        <dt>Commitment invoice</dt>
        <dd>
          {credits && Number(credits.invoiceAmount) > 0
            ? formatMoney(credits.invoiceAmount, currency)
            : 'None'}
        </dd>
        <dt>Usage pricing</dt>
        <dd>
          {content.pricings.length
            ? content.pricings.map((p) => `${p.name} (${p.rates.length} rates)`).join(', ')
            : 'None matched'}
        </dd>
      </dl>
      <p class="muted small">
        Confirming creates or matches the customer, activates the contract with these terms, grants the
        credits and pre-generates the invoices of each billing period.
      </p>
    </div>
  );
}
