import type { ComponentChildren } from 'preact';
import type { DraftIssue, DraftTerms, PlanOption } from '../../api/types';
import {
  centsToAmountInput,
  dateInputToIso,
  exclusiveEndToLastDay,
  isoToDateInput,
  lastDayToExclusiveEnd,
  parseAmountToCents,
} from '../../format';

/** The editable form of the terms: strings as typed, converted back to the API's shape on save. */
export interface TermsFormValues {
  customerName: string;
  customerEmail: string;
  startDate: string;
  lastDay: string;
  paymentTermsDays: string;
  billingCycle: string;
  planId: string;
  creditGrant: string;
  creditExpiresOn: string;
  creditInvoiceAmount: string;
}

export function termsToForm(terms: DraftTerms): TermsFormValues {
  const currency = terms.currency ?? 'USD';
  return {
    customerName: terms.customerName ?? '',
    customerEmail: terms.customerEmail ?? '',
    startDate: isoToDateInput(terms.startDate),
    lastDay: exclusiveEndToLastDay(terms.endDate),
    paymentTermsDays: terms.paymentTermsDays === null || terms.paymentTermsDays === undefined ? '' : String(terms.paymentTermsDays),
    billingCycle: terms.billingCycle ?? '',
    planId: terms.planId ?? '',
    creditGrant: centsToAmountInput(terms.creditGrantCents, currency),
    creditExpiresOn: exclusiveEndToLastDay(terms.creditExpiresAt),
    creditInvoiceAmount: centsToAmountInput(terms.creditInvoiceAmountCents, currency),
  };
}

export type FormErrors = Partial<Record<keyof TermsFormValues, string>>;

/** The `updateContractDraft` input, or the fields that are not valid. */
export function formToInput(
  values: TermsFormValues,
  currency: string,
): { input: Record<string, unknown>; errors: FormErrors } {
  const errors: FormErrors = {};
  const cents = (field: 'creditGrant' | 'creditInvoiceAmount') => {
    if (!values[field].trim()) return null;
    const parsed = parseAmountToCents(values[field], currency);
    if (parsed === null) errors[field] = 'Enter an amount such as 10000 or 10,000.00.';
    return parsed === null ? null : Number(parsed);
  };
  const days = values.paymentTermsDays.trim();
  if (days && !/^\d+$/.test(days)) errors.paymentTermsDays = 'Enter a whole number of days.';
  if (!values.customerName.trim()) errors.customerName = 'The customer needs a name.';
  if (values.startDate && values.lastDay && values.lastDay < values.startDate)
    errors.lastDay = 'The last day is before the start.';
  const input = {
    customerName: values.customerName.trim(),
    customerEmail: values.customerEmail.trim() || null,
    startDate: dateInputToIso(values.startDate),
    endDate: lastDayToExclusiveEnd(values.lastDay),
    paymentTermsDays: days ? Number(days) : null,
    billingCycle: values.billingCycle || null,
    planId: values.planId || null,
    creditGrantCents: cents('creditGrant'),
    // A grant "expires on" a day: it is usable through that day, so it ends at the next midnight UTC.
    creditExpiresAt: lastDayToExclusiveEnd(values.creditExpiresOn),
    creditInvoiceAmountCents: cents('creditInvoiceAmount'),
  };
  return { input, errors };
}

const TERM_FIELD_OF: Record<string, keyof TermsFormValues> = {
  customerName: 'customerName',
  customer: 'customerName',
  customerEmail: 'customerEmail',
  startDate: 'startDate',
  endDate: 'lastDay',
  paymentTermsDays: 'paymentTermsDays',
  billingCycle: 'billingCycle',
  planId: 'planId',
  plan: 'planId',
  creditGrantCents: 'creditGrant',
  creditExpiresAt: 'creditExpiresOn',
  creditInvoiceAmountCents: 'creditInvoiceAmount',
};

function Field({
  name,
  label,
  hint,
  error,
  issue,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  issue?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${issue || error ? ' field-flagged' : ''}`} id={`field-${name}`}>
      <label for={`term-${name}`}>{label}</label>
      {children}
      {hint ? <p class="muted small">{hint}</p> : null}
      {issue ? <p class="field-issue">{issue}</p> : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The Commercial Terms page: customer, contract period, payment terms, plan, prepaid credits. */
export function TermsForm({
  values,
  onChange,
  errors,
  issues,
  plans,
  currency,
  readOnly,
}: {
  values: TermsFormValues;
  onChange: (values: TermsFormValues) => void;
  errors: FormErrors;
  issues: DraftIssue[];
  plans: PlanOption[];
  currency: string;
  readOnly: boolean;
}) {
  const issueFor = (field: keyof TermsFormValues) =>
    issues
      .filter((issue) => issue.field && TERM_FIELD_OF[issue.field] === field)
      .map((issue) => issue.message ?? issue.code)
      .join(' ') || undefined;
  const bind = (field: keyof TermsFormValues) => ({
    id: `term-${field}`,
    name: field,
    value: values[field],
    disabled: readOnly,
    'aria-invalid': errors[field] || issueFor(field) ? true : undefined,
    onInput: (event: Event) => onChange({ ...values, [field]: (event.target as HTMLInputElement).value }),
  });
  const field = (name: keyof TermsFormValues) => ({ name, error: errors[name], issue: issueFor(name) });

  return (
    <form class="terms" onSubmit={(e) => e.preventDefault()} aria-label="Commercial terms">
      <fieldset>
        <legend>Customer</legend>
        <Field {...field('customerName')} label="Customer name">
          <input {...bind('customerName')} autoComplete="off" />
        </Field>
        <Field {...field('customerEmail')} label="Billing email">
          <input {...bind('customerEmail')} type="email" autoComplete="off" />
        </Field>
      </fieldset>
      <fieldset>
        <legend>Contract</legend>
        <Field {...field('startDate')} label="Contract start">
          <input {...bind('startDate')} type="date" />
        </Field>
        <Field {...field('lastDay')} label="Contract end (last day)" hint="Leave empty for an evergreen contract.">
          <input {...bind('lastDay')} type="date" />
        </Field>
        <Field {...field('paymentTermsDays')} label="Payment terms (days)">
          <input {...bind('paymentTermsDays')} inputMode="numeric" />
        </Field>
        <Field {...field('billingCycle')} label="Billing cycle">
          <select {...bind('billingCycle')} onChange={bind('billingCycle').onInput}>
            <option value="">Plan default</option>
            <option value="MONTHLY">Monthly</option>
            <option value="QUARTERLY">Quarterly</option>
            <option value="ANNUAL">Annual</option>
          </select>
        </Field>
        <Field {...field('planId')} label="Pricing plan">
          <select {...bind('planId')} onChange={bind('planId').onInput}>
            <option value="">Choose a plan…</option>
            {plans.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name} ({plan.currency})
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <fieldset>
        <legend>Prepaid credits</legend>
        <Field {...field('creditGrant')} label={`Initial grant amount (${currency})`}>
          <input {...bind('creditGrant')} inputMode="decimal" />
        </Field>
        <Field {...field('creditExpiresOn')} label="Credit expiration date" hint="Credits are usable through this day.">
          <input {...bind('creditExpiresOn')} type="date" />
        </Field>
        <Field
          {...field('creditInvoiceAmount')}
          label={`Commitment invoice amount (${currency})`}
          hint="What the customer pays for the credits; leave empty for none."
        >
          <input {...bind('creditInvoiceAmount')} inputMode="decimal" />
        </Field>
      </fieldset>
    </form>
  );
}
