/**
 * `FEATURES` names the root fields each screen needs; screens whose fields the server does not offer
 * (checked once by introspection, with ROOT_FIELDS) say so instead of failing.
 */

export const FEATURES = {
  drafts: ['Query.contractDrafts', 'Query.contractDraft'],
  draftEdit: ['Mutation.updateContractDraft'],
  draftDecide: ['Mutation.confirmContractDraft', 'Mutation.rejectContractDraft'],
  customers: ['Query.customers', 'Query.customer'],
  contracts: ['Query.contracts'],
  accountHistory: ['Query.accountHistory'],
  paymentMethods: ['Query.paymentMethods'],
  draftInvoice: ['Query.draftInvoice'],
  draftInvoiceLive: ['Subscription.draftInvoiceUpdated'],
  invoices: ['Query.invoices', 'Query.invoice'],
  events: ['Query.events'],
  usageFailures: ['Query.usageEventFailures', 'Mutation.retryUsageEventFailures'],
  credits: ['Query.creditBalance', 'Query.creditLedger'],
  creditNotes: ['Query.creditNotes'],
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
