/** Invoices: the live draft (query and subscription), a customer's invoices, one invoice and its PDF. */

const INVOICE_FIELDS = /* GraphQL */ `
  fragment ConsoleInvoice on Invoice {
    id
    number
    status
    currency
    periodStart
    periodEnd
    issuedAt
    dueDate
    subtotal
    creditsApplied
    total
    amountDue
    customer {
      id
      name
    }
    contract {
      id
    }
    lines {
      description
      meterCode
      dimensions
      quantity
      rate
      unitSize
      amount
      creditsApplied
      rateSource
    }
  }
`;

export const DRAFT_INVOICE = /* GraphQL */ `
  query ConsoleDraftInvoice($contractId: ID!) {
    draftInvoice(contractId: $contractId) {
      ...ConsoleInvoice
    }
  }
  ${INVOICE_FIELDS}
`;

export const DRAFT_INVOICE_UPDATED = /* GraphQL */ `
  subscription ConsoleDraftInvoiceUpdated($customerId: ID!) {
    draftInvoiceUpdated(customerId: $customerId) {
      ...ConsoleInvoice
    }
  }
  ${INVOICE_FIELDS}
`;

export const CUSTOMER_INVOICES = /* GraphQL */ `
  query ConsoleCustomerInvoices($customerId: ID!, $first: Int, $after: String) {
    invoices(customerId: $customerId, first: $first, after: $after) {
      nodes {
        id
        number
        status
        currency
        periodStart
        periodEnd
        issuedAt
        dueDate
        total
        amountDue
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const INVOICE = /* GraphQL */ `
  query ConsoleInvoice($id: ID!) {
    invoice(id: $id) {
      ...ConsoleInvoice
    }
  }
  ${INVOICE_FIELDS}
`;

/** The invoice PDF (REST, same bearer key). */
export function invoicePdfPath(invoiceId: string): string {
  return `/v1/invoices/${encodeURIComponent(invoiceId)}.pdf`;
}

export type ExportKind = 'invoices' | 'invoice-lines' | 'credit-ledger' | 'usage';

/** A finance CSV export (REST, same bearer key), for one customer or the whole environment. */
export function exportCsvPath(kind: ExportKind, customerId?: string): string {
  const query = customerId ? `?customerId=${encodeURIComponent(customerId)}` : '';
  return `/v1/exports/${kind}.csv${query}`;
}
