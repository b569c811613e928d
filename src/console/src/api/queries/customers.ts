/** Customers and their contracts. */

export const CUSTOMERS = /* GraphQL */ `
  query ConsoleCustomers($search: String, $first: Int, $after: String) {
    customers(search: $search, first: $first, after: $after) {
      nodes {
        id
        name
        email
        externalId
        createdAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const CUSTOMER = /* GraphQL */ `
  query ConsoleCustomer($id: ID!) {
    customer(id: $id) {
      id
      name
      email
      externalId
      salesforceAccountId
      createdAt
    }
  }
`;

export const CUSTOMER_CONTRACTS = /* GraphQL */ `
  query ConsoleCustomerContracts($customerId: ID!) {
    contracts(customerId: $customerId, first: 50) {
      nodes {
        id
        status
        startDate
        endDate
        billingCycle
        billingAlignment
        paymentTermsDays
        currency
        plan {
          id
          name
        }
        scheduledContraction {
          effectiveAt
          planId
          newContractId
        }
        endsAt
        atEnd
        renewalNoticeDays
        noticeDeadline
        continuedBy {
          id
          plan {
            name
          }
        }
      }
    }
  }
`;
