import type { DraftCustomer, DraftIssue } from './contract-draft-content';

/** Salesforce record ids are 15 (case-sensitive) or 18 (case-safe) alphanumeric characters. */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
/** The shape the customer service accepts (it validates strictly again at confirmation). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The customer service's limits. */
const NAME_MAX = 200;
const EMAIL_MAX = 320;

/**
 * What confirming would refuse about the draft's customer, raised beforehand as blocking issues naming
 * the draft's fields: confirmation creates (or links) the customer from these values, so a reviewer must
 * see and fix them on the draft rather than learn about them from a failed confirm.
 */
export function draftCustomerIssues(customer: DraftCustomer): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const block = (code: string, field: string, message: string) =>
    issues.push({ code, field, message, blocking: true });
  if (customer.salesforceAccountId !== null && !SALESFORCE_ID.test(customer.salesforceAccountId)) {
    block(
      'CUSTOMER_SALESFORCE_ID_INVALID',
      'customer.salesforceAccountId',
      `Salesforce Account id ${JSON.stringify(customer.salesforceAccountId)} is not a 15 or 18 character Salesforce id`,
    );
  }
  // Only a customer to create is checked: a matched customer is already valid.
  const proposed = customer.matchedCustomerId ? null : customer.proposed;
  if (proposed?.name && proposed.name.trim().length > NAME_MAX) {
    block(
      'CUSTOMER_NAME_TOO_LONG',
      'customer.proposed.name',
      `The new customer's name exceeds ${NAME_MAX} characters`,
    );
  }
  if (proposed?.email && (proposed.email.length > EMAIL_MAX || !EMAIL.test(proposed.email.trim()))) {
    block(
      'CUSTOMER_EMAIL_INVALID',
      'customer.proposed.email',
      `${JSON.stringify(proposed.email)} is not a valid email address`,
    );
  }
  return issues;
}
