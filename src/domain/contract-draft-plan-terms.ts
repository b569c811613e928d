import type { ContractDraftContent, DraftBillingCycle, DraftIssue } from './contract-draft-content';

/** The terms a plan gives every contract on it unless the contract states its own. */
export interface DraftPlanTerms {
  billingCycle: DraftBillingCycle;
  paymentTermsDays: number;
  autoPay: boolean;
}

/** A draft's plan terms by plan id, as loaded by the draft service for the drafts at hand. */
export type DraftPlanTermsCatalog = ReadonlyMap<string, DraftPlanTerms>;

const CYCLE_NAMES: Record<DraftBillingCycle, string> = {
  WEEKLY: 'weekly',
  MONTHLY: 'monthly',
  QUARTERLY: 'quarterly',
  SEMIANNUAL: 'semiannual',
  ANNUAL: 'annual',
};

/**
 * The terms the contract will have once confirmed: what the draft states, else what its plan says
 * (the contract service applies the same defaults). A term is null only while no plan is known.
 */
export function effectiveDraftTerms(
  content: ContractDraftContent,
  planTerms: DraftPlanTermsCatalog | null,
): { billingCycle: DraftBillingCycle | null; paymentTermsDays: number | null; autoPay: boolean | null } {
  const plan = content.plan ? (planTerms?.get(content.plan.planId) ?? null) : null;
  return {
    billingCycle: content.billingCycle ?? plan?.billingCycle ?? null,
    paymentTermsDays: content.paymentTermsDays ?? plan?.paymentTermsDays ?? null,
    autoPay: content.autoPay ?? plan?.autoPay ?? null,
  };
}

function note(code: string, field: string, message: string, why: string | undefined): DraftIssue {
  return { code, field, message: why ? `${message} (${why})` : message, blocking: false };
}

/**
 * Billing cycle, payment terms and auto-pay have a default (the plan's), so a source that does not state
 * them never blocks confirmation: the reviewer is told which terms come from the plan and can still set
 * them. They block only while no known plan can supply them. `warnings` (extraction problems by field)
 * say why the source's value was not taken.
 */
export function planTermIssues(
  content: ContractDraftContent,
  planTerms: DraftPlanTermsCatalog | null,
  warnings: ReadonlyMap<string, string>,
): DraftIssue[] {
  const plan = content.plan ? (planTerms?.get(content.plan.planId) ?? null) : null;
  const issues: DraftIssue[] = [];
  if (content.paymentTermsDays === null) {
    issues.push(
      plan
        ? note(
            'PAYMENT_TERMS_FROM_PLAN',
            'paymentTermsDays',
            `Payment terms from plan: net ${plan.paymentTermsDays} days`,
            warnings.get('paymentTermsDays'),
          )
        : {
            code: 'PAYMENT_TERMS_MISSING',
            field: 'paymentTermsDays',
            message: warnings.get('paymentTermsDays') ?? 'Payment terms are missing',
            blocking: true,
          },
    );
  }
  if (!content.billingCycle) {
    issues.push(
      plan
        ? note(
            'BILLING_CYCLE_FROM_PLAN',
            'billingCycle',
            `Billing cycle from plan: ${CYCLE_NAMES[plan.billingCycle]}`,
            warnings.get('billingCycle'),
          )
        : {
            code: 'BILLING_CYCLE_MISSING',
            field: 'billingCycle',
            message: warnings.get('billingCycle') ?? 'Billing cycle is missing',
            blocking: true,
          },
    );
  }
  if ((content.autoPay ?? null) === null && plan) {
    issues.push(
      note(
        'AUTO_PAY_FROM_PLAN',
        'autoPay',
        `Auto-pay from plan: ${plan.autoPay ? 'on' : 'off'}`,
        warnings.get('autoPay'),
      ),
    );
  }
  return issues;
}
