/** Credit notes and the customer balance: shown on the invoice and customer pages. */

export const INVOICE_CREDIT_NOTES = /* GraphQL */ `
  query ConsoleInvoiceCreditNotes($id: ID!) {
    invoice(id: $id) {
      id
      currency
      balanceApplied
      creditNotes {
        id
        number
        reason
        refund
        total
        createdAt
        lines {
          description
          quantity
          amount
        }
      }
    }
  }
`;

export const CUSTOMER_BALANCE = /* GraphQL */ `
  query ConsoleCustomerBalance($customerId: ID!) {
    customer(id: $customerId) {
      id
      balance {
        currency
        amount
      }
    }
    creditNotes(customerId: $customerId, first: 20) {
      nodes {
        id
        number
        currency
        reason
        refund
        total
        createdAt
        invoice {
          id
          number
        }
      }
    }
  }
`;
