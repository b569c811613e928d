import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ApiKeyService } from './platform/api-key.service';
import { CommitmentInvoices } from './credits/credit-commitment-invoice';
import { noCredits } from './credits/credit-drawdown';
import { CreditDrawdownService } from './credits/credit-drawdown.service';
import { CreditQueryService } from './credits/credit-query.service';
import { CreditService } from './credits/credit.service';
import { ContractService } from './contracts/contract.service';
import { CustomerService } from './customers/customer.service';
import { EventIngestionService } from './usage/event-ingestion.service';
import { InvoiceCatalogService } from './invoicing/invoice-catalog.service';
import { InvoiceScheduleService } from './invoicing/invoice-schedule.service';
import { InvoiceUsageService } from './invoicing/invoice-usage.service';
import { InvoiceService } from './invoicing/invoice.service';
import { LiveInvoiceService } from './live/live-invoice.service';
import { MeterService } from './catalog/meter.service';
import { OrganizationService } from './platform/organization.service';
import { PlanService } from './catalog/plan.service';
import { PortalTokenService } from './platform/portal-token.service';
import { PricingService } from './catalog/pricing.service';
import type { PubSub } from './common/pubsub';
import { RateCardService } from './catalog/rate-card.service';
import { UsageQueryService } from './usage/usage-query.service';
import { DraftConfirmer } from './contract-drafts/contract-draft-confirmer';
import { ContractDraftService } from './contract-drafts/contract-draft.service';
import { CrmOutboxService } from './crm/crm-outbox.service';
import { ProductMappingService } from './contract-drafts/product-mapping.service';
import { SalesforceConnectionService } from './crm/salesforce-connection.service';
import { SecretBox } from './crm/secret-box';
import { createLogger } from '../logger';
// Self-serve
import { AccountService } from './customers/account.service';
import { PaymentService } from './payments/payment.service';
import { RecordedPaymentProvider } from './payments/payment-provider';
import { SandboxService } from './platform/sandbox.service';
import { ProductCatalogService } from './catalog/product-catalog.service';
import { ContractAmendmentService } from './contracts/contract-amendment.service';
import { SelfServeCrmSync } from './crm/self-serve-crm-sync';
import { SignUpService } from './contracts/sign-up.service';

/**
 * Every service, built once in the composition root and handed to resolvers, REST handlers and workers.
 * Services hold no request state; each method takes the RequestContext first.
 */
export function createServices(db: DataSource, config: AppConfig, pubsub: PubSub) {
  const apiKeys = new ApiKeyService(db);
  const organizations = new OrganizationService(apiKeys);
  const portalTokens = new PortalTokenService(db, config.portalTokenSecret);
  const meters = new MeterService();
  const rateCards = new RateCardService(meters);
  const pricings = new PricingService(meters, rateCards);
  const plans = new PlanService();
  const customers = new CustomerService();
  const events = new EventIngestionService(config);
  const usage = new UsageQueryService();
  const invoiceSchedule = new InvoiceScheduleService();
  const contracts = new ContractService(invoiceSchedule);
  // Invoices; the credit drawdown is plugged in below, once the credit services exist.
  const invoices = new InvoiceService(
    config,
    contracts,
    invoiceSchedule,
    new InvoiceCatalogService(),
    new InvoiceUsageService(),
    noCredits,
  );
  events.useClosedPeriodGuard(invoices.closedPeriodGuard());
  // Credits. Commitment invoices take their number from the invoice engine's gap-free sequence.
  const commitmentInvoices = new CommitmentInvoices((tx) => invoices.allocateNumber(tx));
  const credits = new CreditService(pubsub, commitmentInvoices);
  const creditQueries = new CreditQueryService();
  const creditDrawdown = new CreditDrawdownService(pubsub);
  invoices.useCreditDrawdown(creditDrawdown);
  contracts.useCredits(credits);
  // Salesforce connector.
  const salesforceLog = createLogger(config.logLevel).child({ component: 'salesforce' });
  const crmOutbox = new CrmOutboxService(db, salesforceLog);
  const productMappings = new ProductMappingService();
  const contractDrafts = new ContractDraftService(crmOutbox);
  const salesforce = new SalesforceConnectionService(
    db,
    new SecretBox(config.secretsEncryptionKey),
    contractDrafts,
    productMappings,
    salesforceLog,
  );
  crmOutbox.setGateway(salesforce);
  // Live subscriptions: rate card, contract and invoice changes are announced to them after commit.
  rateCards.usePubSub(pubsub);
  contracts.usePubSub(pubsub);
  invoices.usePubSub(pubsub);
  const live = new LiveInvoiceService(pubsub, invoices, contracts, customers, creditQueries);
  // Self-serve: catalog, sign-up, contract management, payments, account contacts, sandboxes.
  const selfServeCrm = new SelfServeCrmSync(crmOutbox);
  // Contract Extraction: confirming a reviewed draft creates the customer, contract, credits and invoices.
  contractDrafts.setConfirmer(new DraftConfirmer(customers, contracts, selfServeCrm));
  const contractAmendments = new ContractAmendmentService(
    invoiceSchedule,
    invoices,
    credits,
    selfServeCrm,
    pubsub,
  );
  const selfServe = {
    catalog: new ProductCatalogService(),
    signUps: new SignUpService(customers, contracts, credits, contractAmendments, selfServeCrm),
    amendments: contractAmendments,
    payments: new PaymentService(new RecordedPaymentProvider()),
    accounts: new AccountService(),
    sandboxes: new SandboxService(apiKeys),
  };
  return {
    selfServe,
    live,
    config,
    pubsub,
    apiKeys,
    organizations,
    portalTokens,
    meters,
    rateCards,
    pricings,
    plans,
    customers,
    events,
    usage,
    credits,
    creditQueries,
    creditDrawdown,
    invoiceSchedule,
    contracts,
    invoices,
    crmOutbox,
    productMappings,
    contractDrafts,
    salesforce,
  };
}

export type Services = ReturnType<typeof createServices>;
