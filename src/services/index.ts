import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ApiKeyService } from './api-key.service';
import { CommitmentInvoices } from './credit-commitment-invoice';
import { noCredits } from './credit-drawdown';
import { CreditDrawdownService } from './credit-drawdown.service';
import { CreditQueryService } from './credit-query.service';
import { CreditService } from './credit.service';
import { ContractService } from './contract.service';
import { CustomerService } from './customer.service';
import { EventIngestionService } from './event-ingestion.service';
import { InvoiceCatalogService } from './invoice-catalog.service';
import { InvoiceScheduleService } from './invoice-schedule.service';
import { InvoiceUsageService } from './invoice-usage.service';
import { InvoiceService } from './invoice.service';
import { LiveInvoiceService } from './live-invoice.service';
import { MeterService } from './meter.service';
import { OrganizationService } from './organization.service';
import { PlanService } from './plan.service';
import { PortalTokenService } from './portal-token.service';
import { PricingService } from './pricing.service';
import type { PubSub } from './pubsub';
import { RateCardService } from './rate-card.service';
import { UsageQueryService } from './usage-query.service';
import { DraftConfirmer } from './contract-draft-confirmer';
import { ContractDraftService } from './contract-draft.service';
import { CrmOutboxService } from './crm-outbox.service';
import { ProductMappingService } from './product-mapping.service';
import { SalesforceConnectionService } from './salesforce-connection.service';
import { SecretBox } from './secret-box';
import { createLogger } from '../logger';
// Self-serve
import { AccountService } from './account.service';
import { PaymentService } from './payment.service';
import { RecordedPaymentProvider } from './payments/payment-provider';
import { SandboxService } from './sandbox.service';
import { ProductCatalogService } from './self-serve/catalog.service';
import { ContractAmendmentService } from './self-serve/contract-amendment.service';
import { SelfServeCrmSync } from './self-serve/crm-sync';
import { SignUpService } from './self-serve/sign-up.service';

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
