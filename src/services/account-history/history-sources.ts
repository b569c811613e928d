/**
 * The tables the account history reads, each as one SELECT of the same columns:
 *   at, id (unique per entry), kind, event, ref_id, contract_id, invoice_id, currency, amount (text),
 *   summary, actor, details (JSON or NULL)
 * filtered to one customer of one environment (`?` twice: environment id, customer id).
 */

export type AccountHistoryKind = 'SIGN_UP' | 'CONTRACT' | 'CONTRACT_DRAFT' | 'INVOICE' | 'PAYMENT' | 'CREDIT';

export const ACCOUNT_HISTORY_KINDS: readonly AccountHistoryKind[] = [
  'SIGN_UP',
  'CONTRACT',
  'CONTRACT_DRAFT',
  'INVOICE',
  'PAYMENT',
  'CREDIT',
];

/** Every branch names its columns in this order, so the UNION lines up. */
const COLUMNS =
  'at, id, kind, event, ref_id, contract_id, invoice_id, currency, amount, summary, actor, details';

export const SOURCES: Record<AccountHistoryKind, string[]> = {
  SIGN_UP: [
    `SELECT c.created_at AS at, c.id AS id, 'SIGN_UP' AS kind, 'CUSTOMER_CREATED' AS event, c.id AS ref_id,
            NULL AS contract_id, NULL AS invoice_id, NULL AS currency, NULL AS amount,
            CONCAT('Customer ', c.name, ' created') AS summary, NULL AS actor, NULL AS details
       FROM customers c WHERE c.environment_id = ? AND c.id = ?`,
  ],
  // Contracts and their amendments (creation, plan changes, seats, add-ons, cycle, cancellation, renewal).
  CONTRACT: [
    `SELECT a.created_at AS at, a.id AS id, 'CONTRACT' AS kind, a.kind AS event, a.contract_id AS ref_id,
            a.contract_id AS contract_id, NULL AS invoice_id, NULL AS currency, NULL AS amount,
            CONCAT(a.kind, ' (', a.source, ')') AS summary, a.actor AS actor, a.details AS details
       FROM contract_amendments a JOIN contracts k ON k.id = a.contract_id
      WHERE a.environment_id = ? AND k.customer_id = ?`,
  ],
  // Drafts (Salesforce deals, documents) confirmed into this customer, with their outcome.
  CONTRACT_DRAFT: [
    `SELECT d.created_at AS at, d.id AS id, 'CONTRACT_DRAFT' AS kind, CONCAT('DRAFT_', d.status) AS event,
            d.id AS ref_id, d.confirmed_contract_id AS contract_id, NULL AS invoice_id, NULL AS currency,
            NULL AS amount, CONCAT('Contract draft from ', d.source, ': ', d.status) AS summary, NULL AS actor,
            NULL AS details
       FROM contract_drafts d WHERE d.environment_id = ? AND d.confirmed_customer_id = ?`,
  ],
  INVOICE: [
    `SELECT i.finalized_at AS at, CONCAT(i.id, ':finalized') AS id, 'INVOICE' AS kind, 'INVOICE_FINALIZED' AS event,
            i.id AS ref_id, i.contract_id AS contract_id, i.id AS invoice_id, i.currency AS currency,
            CAST(i.total AS CHAR) AS amount, CONCAT('Invoice ', COALESCE(i.number, i.id), ' issued') AS summary,
            NULL AS actor, NULL AS details
       FROM invoices i WHERE i.environment_id = ? AND i.customer_id = ? AND i.finalized_at IS NOT NULL`,
    `SELECT i.voided_at AS at, CONCAT(i.id, ':voided') AS id, 'INVOICE' AS kind, 'INVOICE_VOIDED' AS event,
            i.id AS ref_id, i.contract_id AS contract_id, i.id AS invoice_id, i.currency AS currency,
            CAST(i.total AS CHAR) AS amount, CONCAT('Invoice ', COALESCE(i.number, i.id), ' voided') AS summary,
            NULL AS actor, NULL AS details
       FROM invoices i WHERE i.environment_id = ? AND i.customer_id = ? AND i.voided_at IS NOT NULL
        AND i.finalized_at IS NOT NULL`,
  ],
  PAYMENT: [
    `SELECT p.created_at AS at, p.id AS id, 'PAYMENT' AS kind, CONCAT('PAYMENT_', p.status) AS event,
            p.id AS ref_id, NULL AS contract_id, p.invoice_id AS invoice_id, p.currency AS currency,
            CAST(p.amount AS CHAR) AS amount, CONCAT('Payment via ', p.provider, ': ', p.status) AS summary,
            p.actor AS actor, NULL AS details
       FROM payments p WHERE p.environment_id = ? AND p.customer_id = ?`,
  ],
  CREDIT: [
    `SELECT g.created_at AS at, g.id AS id, 'CREDIT' AS kind, CONCAT('CREDIT_', g.type) AS event, g.id AS ref_id,
            g.contract_id AS contract_id, g.commitment_invoice_id AS invoice_id, g.currency AS currency,
            CAST(g.amount_cents / 100 AS CHAR) AS amount, g.description AS summary, NULL AS actor,
            NULL AS details
       FROM credit_grants g WHERE g.environment_id = ? AND g.customer_id = ?`,
    `SELECT n.created_at AS at, n.id AS id, 'CREDIT' AS kind, 'CREDIT_NOTE_ISSUED' AS event, n.id AS ref_id,
            NULL AS contract_id, n.invoice_id AS invoice_id, n.currency AS currency,
            CAST(n.total AS CHAR) AS amount, CONCAT('Credit note ', n.number, ': ', n.reason) AS summary,
            NULL AS actor, NULL AS details
       FROM credit_notes n WHERE n.environment_id = ? AND n.customer_id = ?`,
  ],
};

export { COLUMNS };
