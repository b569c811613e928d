/**
 * Every GraphQL document the console sends, in one place, so that a renamed field is a one-line fix.
 * The console uses nothing but the public API: these documents and the invoice PDF URL.
 * `FEATURES` names the root fields each screen needs; screens whose fields the server does not offer
 * (checked once by introspection) say so instead of failing.
 */

export const FEATURES = {
  drafts: ['Query.contractDrafts', 'Query.contractDraft'],
  draftEdit: ['Mutation.updateContractDraft'],
  draftDecide: ['Mutation.confirmContractDraft', 'Mutation.rejectContractDraft'],
  customers: ['Query.customers', 'Query.customer'],
  contracts: ['Query.contracts'],
  draftInvoice: ['Query.draftInvoice'],
  draftInvoiceLive: ['Subscription.draftInvoiceUpdated'],
  invoices: ['Query.invoices', 'Query.invoice'],
  events: ['Query.events'],
  credits: ['Query.creditBalance', 'Query.creditLedger'],
  catalog: ['Query.meters', 'Query.pricings', 'Query.plans'],
  environments: ['Query.environments'],
} as const;
export type Feature = keyof typeof FEATURES;

export const ROOT_FIELDS = /* GraphQL */ `
  query ConsoleRootFields {
    __schema {
      queryType {
        fields {
          name
        }
      }
      mutationType {
        fields {
          name
        }
      }
      subscriptionType {
        fields {
          name
        }
      }
    }
  }
`;

export const CURRENT_ENVIRONMENT = /* GraphQL */ `
  query ConsoleCurrentEnvironment {
    currentEnvironment {
      id
      name
      kind
    }
  }
`;

export const ENVIRONMENTS = /* GraphQL */ `
  query ConsoleEnvironments {
    environments {
      id
      name
      kind
    }
  }
`;

// --- Contract drafts ---------------------------------------------------------------------------

const DRAFT_TERMS = /* GraphQL */ `
  fragment ConsoleDraftTerms on ContractDraft {
    opportunityId
    opportunityName
    closeDate
    amount
    customer {
      matchedCustomerId
      salesforceAccountId
      proposedName
      proposedEmail
    }
    currency
    contractStart
    contractEnd
    paymentTermsDays
    billingCycle
    plan {
      planId
      quantity
      unitPrice
    }
    pricings {
      pricingId
      name
      meterCode
      fallbackRate
      fromPlan
      rates {
        dimensions
        rate
        catalogRate
        overridden
      }
    }
    flatFees {
      description
      quantity
      unitPrice
    }
    prepaidCredits {
      grantAmount
      invoiceAmount
      expiresOn
    }
    unmatchedLineItems {
      lineItemId
      productCode
      productName
      quantity
      unitPrice
    }
    issues {
      code
      field
      message
      blocking
    }
  }
`;

export const CONTRACT_DRAFTS = /* GraphQL */ `
  query ConsoleContractDrafts($status: ContractDraftStatus, $first: Int, $after: String) {
    contractDrafts(status: $status, first: $first, after: $after) {
      nodes {
        id
        status
        source
        updatedAt
        opportunityName
        customer {
          proposedName
          matchedCustomerId
        }
        contractStart
        contractEnd
        plan {
          planId
        }
        isReviewItem
        issues {
          code
          blocking
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const CONTRACT_DRAFT = /* GraphQL */ `
  query ConsoleContractDraft($id: ID!) {
    contractDraft(id: $id) {
      id
      status
      source
      createdAt
      updatedAt
      rejectReason
      confirmedContractId
      confirmedCustomerId
      isReviewItem
      changes {
        field
        before
        after
      }
      ...ConsoleDraftTerms
    }
  }
  ${DRAFT_TERMS}
`;

/** The plans a draft can be put on (the pricing plan select). */
export const DRAFT_CATALOG = /* GraphQL */ `
  query ConsoleDraftCatalog {
    plans(first: 100) {
      nodes {
        id
        name
        currency
        netTermsDays
        billingCycle
      }
    }
  }
`;

export const UPDATE_CONTRACT_DRAFT = /* GraphQL */ `
  mutation ConsoleUpdateContractDraft($id: ID!, $input: ContractDraftInput!) {
    updateContractDraft(id: $id, input: $input) {
      id
      status
      updatedAt
      changes {
        field
        before
        after
      }
      ...ConsoleDraftTerms
    }
  }
  ${DRAFT_TERMS}
`;

export const CONFIRM_CONTRACT_DRAFT = /* GraphQL */ `
  mutation ConsoleConfirmContractDraft($id: ID!) {
    confirmContractDraft(id: $id) {
      id
      status
      updatedAt
      confirmedContractId
      confirmedCustomerId
    }
  }
`;

export const REJECT_CONTRACT_DRAFT = /* GraphQL */ `
  mutation ConsoleRejectContractDraft($id: ID!, $reason: String!) {
    rejectContractDraft(id: $id, reason: $reason) {
      id
      status
      updatedAt
      rejectReason
    }
  }
`;

// --- Customers, contracts, invoices --------------------------------------------------------------

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
        paymentTermsDays
        currency
        plan {
          id
          name
        }
      }
    }
  }
`;

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

// --- Events behind a quantity ------------------------------------------------------------------

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

// --- Credits -------------------------------------------------------------------------------------

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

// --- Catalog (read-only) -------------------------------------------------------------------------

export const CATALOG = /* GraphQL */ `
  query ConsoleCatalog {
    meters(first: 20) {
      nodes {
        id
        code
        displayName
        eventName
        aggregation
        aggregationKey
        groupKeys
        rateCards {
          id
          name
          entries {
            id
            dimensions
            rate
            effectiveFrom
            effectiveTo
          }
        }
      }
    }
    pricings(first: 50) {
      nodes {
        id
        name
        kind
        model
        unitSize
        fallbackRate
        flatAmount
        meter {
          code
        }
        rateCard {
          id
          name
        }
      }
    }
    plans(first: 50) {
      nodes {
        id
        name
        description
        currency
        billingCycle
        netTermsDays
        isPublic
        items {
          id
          quantity
          pricing {
            id
            name
          }
        }
      }
    }
  }
`;
