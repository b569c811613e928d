/** The events behind a quantity, and the meter that explains them. */

export const METER_BY_CODE = /* GraphQL */ `
  query ConsoleMeterByCode($code: String!) {
    meterByCode(code: $code) {
      id
      code
      displayName
      eventName
      groupKeys
    }
  }
`;

export const EVENTS = /* GraphQL */ `
  query ConsoleEvents($filter: UsageEventsFilter!, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      nodes {
        id
        eventName
        customerId
        idempotencyKey
        timestamp
        properties
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
