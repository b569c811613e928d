import type { NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from './api-key/api-key.resolver';
import { ContractDocumentResolver } from './contract-draft/contract-document.resolver';
import { ContractDraftResolver } from './contract-draft/contract-draft.resolver';
import { DraftCustomerResolver } from './contract-draft/draft-customer.resolver';
import {
  ContractExpansionFieldsResolver,
  DraftExpansionResolver,
  ExpansionResolver,
  ContractionResolver,
} from './expansion/expansion.resolver';
import { SalesforceResolver } from './salesforce/salesforce.resolver';
import { PortalResolver } from './portal/portal.resolver';
import { CreditResolver } from './credit/credit.resolver';
import {
  ContractItemResolver,
  ContractResolver,
  CustomerContractsResolver,
} from './contract/contract.resolver';
import { ContractCommitmentsResolver } from './contract/contract-commitments.resolver';
import {
  CreditNoteResolver,
  CustomerBalanceResolver,
  InvoiceCreditNotesResolver,
} from './credit-note/credit-note.resolver';
import { CustomerResolver } from './customer/customer.resolver';
import {
  ContractInvoicesResolver,
  CustomerInvoicesResolver,
  InvoiceResolver,
} from './invoice/invoice.resolver';
import { LiveResolver } from './live/live.resolver';
import { MeterResolver } from './meter/meter.resolver';
import { PlanItemResolver, PlanResolver } from './plan/plan.resolver';
import { PricingResolver } from './pricing/pricing.resolver';
import { RateCardResolver } from './rate-card/rate-card.resolver';
import { UsageResolver } from './usage/usage.resolver';
import { WebhookResolver } from './webhook/webhook.resolver';
// Self-serve
import { AccountResolver, InvoicePaymentsResolver, PaymentAmountResolver } from './account/account.resolver';
import { SandboxResolver } from './sandbox/sandbox.resolver';
import { PricePreviewResolver } from './self-serve/preview.resolver';
import { ContractEndResolver } from './self-serve/contract-end.resolver';
import { AccountHistoryResolver } from './account/account-history.resolver';
import { PaymentMethodResolver } from './account/payment-method.resolver';
import { ContractSelfServeFieldsResolver, SelfServeResolver } from './self-serve/self-serve.resolver';

/** Every resolver class in the schema. Add new ones here (one line each). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  ApiKeyResolver,
  PortalResolver,
  MeterResolver,
  RateCardResolver,
  PricingResolver,
  PlanResolver,
  PlanItemResolver,
  CustomerResolver,
  ContractResolver,
  ContractItemResolver,
  CustomerContractsResolver,
  InvoiceResolver,
  ContractInvoicesResolver,
  CustomerInvoicesResolver,
  UsageResolver,
  CreditResolver,
  LiveResolver,
  SalesforceResolver,
  ContractDraftResolver,
  DraftCustomerResolver,
  ExpansionResolver,
  ContractionResolver,
  ContractExpansionFieldsResolver,
  DraftExpansionResolver,
  ContractDocumentResolver,
  SelfServeResolver,
  ContractSelfServeFieldsResolver,
  AccountResolver,
  InvoicePaymentsResolver,
  PaymentAmountResolver,
  SandboxResolver,
  WebhookResolver,
  ContractCommitmentsResolver,
  CreditNoteResolver,
  InvoiceCreditNotesResolver,
  CustomerBalanceResolver,
  PricePreviewResolver,
  ContractEndResolver,
  AccountHistoryResolver,
  PaymentMethodResolver,
];
