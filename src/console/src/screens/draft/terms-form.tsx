import type { ComponentChildren } from 'preact';
import type { DraftIssue, DraftTerms, PlanOption } from '../../api/types';

/** The editable terms, as typed (strings); converted to the update input on save. */
export interface TermsFormValues {
  customerName: string;
  customerEmail: string;
  contractStart: string;
  contractEnd: string;
  paymentTermsDays: string;
  billingCycle: string;
  /** '' = the plan's, 'true' or 'false'. */
  autoPay: string;
  planId: string;
  creditGrant: string;
  creditExpiresOn: string;
  creditInvoiceAmount: string;
}

export function contentToForm(content: DraftTerms): TermsFormValues {
  return {
    customerName: content.customer.proposedName ?? '',
    customerEmail: content.customer.proposedEmail ?? '',
    contractStart: content.contractStart ?? '',
    contractEnd: content.contractEnd ?? '',
    paymentTermsDays: content.paymentTermsDays === null ? '' : String(content.paymentTermsDays),
    billingCycle: content.billingCycle ?? '',
    autoPay: content.autoPay === null ? '' : String(content.autoPay),
    planId: content.plan?.planId ?? '',
    creditGrant: content.prepaidCredits?.grantAmount ?? '',
    creditExpiresOn: content.prepaidCredits?.expiresOn ?? '',
    creditInvoiceAmount: content.prepaidCredits?.invoiceAmount ?? '',
  };
}

export type FormErrors = Partial<Record<keyof TermsFormValues, string>>;

const AMOUNT = /^\d+(\.\d+)?$/;

/** The `updateContractDraft` input for the fields that changed, or what is wrong with the form. */
export function formToInput(
  values: TermsFormValues,
  original: TermsFormValues,
  content: DraftTerms,
): { input: Record<string, unknown>; errors: FormErrors } {
  const errors: FormErrors = {};
  const changed = (...fields: Array<keyof TermsFormValues>) => fields.some((f) => values[f] !== original[f]);
  const amount = (field: 'creditGrant' | 'creditInvoiceAmount') => {
    const text = values[field].replace(/,/g, '').trim();
    if (text && !AMOUNT.test(text)) errors[field] = 'Enter an amount such as 10000 or 10000.00.';
    return text;
  };
  const days = values.paymentTermsDays.trim();
  if (days && !/^\d+$/.test(days)) errors.paymentTermsDays = 'Enter a whole number of days.';
  if (values.contractStart && values.contractEnd && values.contractEnd < values.contractStart)
    errors.contractEnd = 'The last day is before the start.';
  const grant = amount('creditGrant');
  const invoiceAmount = amount('creditInvoiceAmount');
  if (!grant && (invoiceAmount || values.creditExpiresOn))
    errors.creditGrant = 'Enter the grant amount, or clear the other credit fields.';

  const input: Record<string, unknown> = {};
  if (changed('customerName', 'customerEmail') && !content.customer.matchedCustomerId) {
    if (!values.customerName.trim()) errors.customerName = 'The new customer needs a name.';
    input.proposedCustomer = { name: values.customerName.trim(), email: values.customerEmail.trim() || null };
  }
  if (changed('contractStart')) input.contractStart = values.contractStart || null;
  if (changed('contractEnd')) input.contractEnd = values.contractEnd || null;
  if (changed('paymentTermsDays')) input.paymentTermsDays = days ? Number(days) : null;
  if (changed('billingCycle')) input.billingCycle = values.billingCycle || null;
  if (changed('autoPay')) input.autoPay = values.autoPay ? values.autoPay === 'true' : null;
  if (changed('planId')) input.plan = values.planId ? { planId: values.planId } : null;
  if (changed('creditGrant', 'creditInvoiceAmount', 'creditExpiresOn')) {
    input.prepaidCredits = grant
      ? { grantAmount: grant, invoiceAmount: invoiceAmount || '0', expiresOn: values.creditExpiresOn || null }
      : null;
  }
  return { input, errors };
}

/** Which form field an issue's content path is about (`prepaidCredits.expiresOn` → creditExpiresOn). */
const FIELD_OF_PATH: Array<[RegExp, keyof TermsFormValues]> = [
  [/^customer\.proposed\.email|^customer\.proposedEmail/, 'customerEmail'],
  [/^customer/, 'customerName'],
  [/^contractStart/, 'contractStart'],
  [/^contractEnd/, 'contractEnd'],
  [/^paymentTermsDays/, 'paymentTermsDays'],
  [/^billingCycle/, 'billingCycle'],
  [/^autoPay/, 'autoPay'],
  [/^plan/, 'planId'],
  [/^prepaidCredits\.expiresOn/, 'creditExpiresOn'],
  [/^prepaidCredits\.invoiceAmount/, 'creditInvoiceAmount'],
  [/^prepaidCredits/, 'creditGrant'],
  [/^currency/, 'planId'],
];

export function formFieldOf(path: string | null | undefined): keyof TermsFormValues | null {
  if (!path) return null;
  return FIELD_OF_PATH.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

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
  matchedCustomer,
  readOnly,
}: {
  values: TermsFormValues;
  onChange: (values: TermsFormValues) => void;
  errors: FormErrors;
  issues: DraftIssue[];
  plans: PlanOption[];
  currency: string;
  matchedCustomer: boolean;
  readOnly: boolean;
}) {
  const issueFor = (field: keyof TermsFormValues) =>
    issues
      .filter((issue) => formFieldOf(issue.field) === field)
      .map((issue) => issue.message ?? issue.code)
      .join(' ') || undefined;
  const bind = (field: keyof TermsFormValues, locked = false) => {
    const update = (event: Event) =>
      onChange({ ...values, [field]: (event.target as HTMLInputElement).value });
    return {
      id: `term-${field}`,
      name: field,
      value: values[field],
      disabled: readOnly || locked,
      'aria-invalid': errors[field] || issueFor(field) ? true : undefined,
      onInput: update,
      onChange: update,
    };
  };
  const field = (name: keyof TermsFormValues) => ({ name, error: errors[name], issue: issueFor(name) });

  return (
    <form class="terms" onSubmit={(e) => e.preventDefault()} aria-label="Commercial terms">
      <fieldset>
        <legend>Customer</legend>
        <Field
          {...field('customerName')}
          label="Customer name"
          hint={
            matchedCustomer
              ? 'Matched to an existing customer.'
              : 'A new customer is created on confirmation.'
          }
        >
          <input {...bind('customerName', matchedCustomer)} autoComplete="off" />
        </Field>
        <Field {...field('customerEmail')} label="Billing email">
          <input {...bind('customerEmail', matchedCustomer)} type="email" autoComplete="off" />
        </Field>
      </fieldset>
      <fieldset>
        <legend>Contract</legend>
        <Field {...field('contractStart')} label="Contract start">
          <input {...bind('contractStart')} type="date" />
        </Field>
        <Field
          {...field('contractEnd')}
          label="Contract end (last day)"
          hint="Leave empty for an evergreen contract."
        >
          <input {...bind('contractEnd')} type="date" />
        </Field>
        <Field {...field('paymentTermsDays')} label="Payment terms (days)" hint="Leave empty for the plan's.">
          <input {...bind('paymentTermsDays')} inputMode="numeric" />
        </Field>
        <Field {...field('billingCycle')} label="Billing cycle">
          <select {...bind('billingCycle')}>
            <option value="">Plan default</option>
            <option value="WEEKLY">Weekly</option>
            <option value="MONTHLY">Monthly</option>
            <option value="QUARTERLY">Quarterly</option>
            <option value="SEMIANNUAL">Semiannual</option>
            <option value="ANNUAL">Annual</option>
          </select>
        </Field>
        <Field {...field('autoPay')} label="Auto-pay">
          <select {...bind('autoPay')}>
            <option value="">Plan default</option>
            <option value="true">On</option>
            <option value="false">Off</option>
          </select>
        </Field>
        <Field {...field('planId')} label="Pricing plan">
          <select {...bind('planId')}>
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
        <Field
          {...field('creditExpiresOn')}
          label="Credit expiration date"
          hint="Credits are usable through this day."
        >
          <input {...bind('creditExpiresOn')} type="date" />
        </Field>
        <Field
          {...field('creditInvoiceAmount')}
          label={`Commitment invoice amount (${currency})`}
          hint="What the customer is invoiced for the credits; 0 for none."
        >
          <input {...bind('creditInvoiceAmount')} inputMode="decimal" />
        </Field>
      </fieldset>
    </form>
  );
}
