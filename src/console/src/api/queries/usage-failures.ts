/** Usage events the aggregator set aside, and re-queueing them once their cause is fixed. */

const USAGE_EVENT_FAILURE_FIELDS = /* GraphQL */ `
  id
  eventId
  customerId
  eventName
  timestamp
  code
  reason
  attempts
  failedAt
  retryRequestedAt
  resolvedAt
`;

export const USAGE_EVENT_FAILURES = /* GraphQL */ `
  query ConsoleUsageEventFailures($includeResolved: Boolean, $first: Int, $after: String) {
    usageEventFailures(includeResolved: $includeResolved, first: $first, after: $after) {
      nodes {
        ${USAGE_EVENT_FAILURE_FIELDS}
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const RETRY_USAGE_EVENT_FAILURES = /* GraphQL */ `
  mutation ConsoleRetryUsageEventFailures($ids: [ID!]!) {
    retryUsageEventFailures(ids: $ids) {
      ${USAGE_EVENT_FAILURE_FIELDS}
    }
  }
`;
