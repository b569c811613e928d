/** A customer's credit balance and ledger. */

export const CREDITS = /* GraphQL */ `
  query ConsoleCredits($customerId: ID!, $first: Int, $after: String) {
    creditBalance(customerId: $customerId) {
      totals {
        currency
        granted
        used
        expired
        remaining
      }
      grants {
        grantId
        type
        status
        currency
        description
        granted
        used
        expired
        remaining
        expiresAt
      }
    }
    creditLedger(customerId: $customerId, first: $first, after: $after) {
      nodes {
        id
        kind
        amount
        currency
        description
        grantId
        invoiceId
        meterCode
        dimensions
        grantBalanceAfter
        createdAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
