/** A customer's account history (sign-up, contract changes, drafts, invoices, payments, credits). */

export const ACCOUNT_HISTORY = /* GraphQL */ `
  query ConsoleAccountHistory($customerId: ID!, $kinds: [AccountHistoryKind!], $first: Int, $after: String) {
    accountHistory(customerId: $customerId, kinds: $kinds, first: $first, after: $after) {
      nodes {
        id
        kind
        event
        at
        summary
        currency
        amount
        actor
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
