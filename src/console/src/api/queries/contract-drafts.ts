/** Contract drafts: the review queue, one draft's terms, and the edit/confirm/reject mutations. */

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
    autoPay
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
      customerSummary: customer {
        name
      }
      expansionOf {
        requestId
        contractId
        customerId
        customerName
        note
        issues {
          code
          field
          message
          blocking
        }
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
  mutation ConsoleConfirmContractDraft($id: ID!, $carryOverPromotionalCredits: Boolean) {
    confirmContractDraft(id: $id, carryOverPromotionalCredits: $carryOverPromotionalCredits) {
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
