import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ApiKeyService } from './platform';
import { CommitmentInvoices } from './credits';
import { noCredits } from './credits';
import { CreditDrawdownService } from './credits';
import { CreditQueryService } from './credits';
import { CreditService } from './credits';
import { ContractService } from './contracts';
import { CustomerService } from './customers';
import { EventIngestionService } from './usage';
import { InvoiceCatalogService } from './invoicing';
import { InvoiceScheduleService } from './invoicing';
import { InvoiceUsageService } from './invoicing';
import { InvoiceService } from './invoicing';
import { LiveInvoiceService } from './live';
import { MeterService } from './catalog';
import { OrganizationService } from './platform';
import { PlanService } from './catalog';
import { PortalTokenService } from './platform';
import { PricingService } from './catalog';
import type { PubSub } from './common';
import { RateCardService } from './catalog';
import { UsageQueryService } from './usage';
import { DraftConfirmer } from './contract-drafts';
import { ContractDraftService } from './contract-drafts';
import { CrmOutboxService } from './crm';
import { CustomerAccountLinks } from './crm';
import { ProductMappingService } from './contract-drafts';
import { SalesforceClients } from './crm';
import { SalesforceConnectionQueries } from './crm';
import { SalesforceConnectionService } from './crm';
import { SalesforceCrmGateway } from './crm';
import { SecretBox } from './crm';
import { createLogger } from '../logger';
// Self-serve
import { AccountService } from './customers';
import { PaymentService } from './payments';
import { RecordedPaymentProvider } from './payments';
import { SandboxService } from './platform';
import { ProductCatalogService } from './catalog';
import { ContractAmendmentService } from './contracts';
import { ContractChangeRunner } from './contracts';
import { ContractChangeTiming } from './contracts';
import { ContractHistoryService } from './contracts';
import { ContractRenewalService } from './contracts';
import { ContractPeriodInvoices } from './invoicing';
import { SelfServeCrmSync } from './crm';
import { SignUpService } from './contracts';

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
  // Credits need invoices, which need contracts: contracts reach the credit service through a closure.
  const contracts = new ContractService(
    invoiceSchedule,
    (tx, contract, input): Promise<unknown> => credits.grantAtContractCreation(tx, contract, input),
    pubsub,
  );
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
  // Salesforce connector.
  const salesforceLog = createLogger(config.logLevel).child({ component: 'salesforce' });
  const salesforceConnections = new SalesforceConnectionQueries();
  const salesforceClients = new SalesforceClients(new SecretBox(config.secretsEncryptionKey));
  const crmGateway = new SalesforceCrmGateway(salesforceConnections, salesforceClients, salesforceLog);
  const crmOutbox = new CrmOutboxService(crmGateway, salesforceLog);
  const productMappings = new ProductMappingService();
  const contractDrafts = new ContractDraftService(crmOutbox);
  const salesforce = new SalesforceConnectionService(
    salesforceConnections,
    salesforceClients,
    crmGateway,
    contractDrafts,
    productMappings,
    salesforceLog,
  );
  const customerAccountLinks = new CustomerAccountLinks(crmOutbox, salesforceConnections);
  // Live subscriptions: rate card, contract and invoice changes are announced to them after commit.
  rateCards.usePubSub(pubsub);
  invoices.usePubSub(pubsub);
  const live = new LiveInvoiceService(pubsub, invoices, contracts, customers, creditQueries);
  // Self-serve: catalog, sign-up, contract management, payments, account contacts, sandboxes.
  const selfServeCrm = new SelfServeCrmSync(crmOutbox, salesforceConnections);
  // Contract Extraction: confirming a reviewed draft creates the customer, contract, credits and invoices.
  contractDrafts.setConfirmer(new DraftConfirmer(customers, contracts, selfServeCrm));
  const contractPeriodInvoices = new ContractPeriodInvoices((tx, id) => invoices.void(tx, id));
  const contractHistory = new ContractHistoryService();
  const contractRenewals = new ContractRenewalService(
    invoiceSchedule,
    contractPeriodInvoices,
    selfServeCrm,
    pubsub,
  );
  const contractAmendments = new ContractAmendmentService(
    new ContractChangeRunner(contractRenewals, contractHistory, selfServeCrm, pubsub),
    new ContractChangeTiming(contractPeriodInvoices),
    contractPeriodInvoices,
    invoiceSchedule,
    credits,
  );
  const selfServe = {
    catalog: new ProductCatalogService(),
    signUps: new SignUpService(customers, contracts, credits, contractHistory, selfServeCrm),
    amendments: contractAmendments,
    renewals: contractRenewals,
    contractHistory,
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
    customerAccountLinks,
  };
}

export type Services = ReturnType<typeof createServices>;
