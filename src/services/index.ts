import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { createLogger } from '../logger';
import { MeterService, PlanService, PricingService, ProductCatalogService, RateCardService } from './catalog';
import { PublicUrlPolicy, type PubSub } from './common';
import {
  AgreementReader,
  BuiltInContractExtractor,
  ContractDocumentService,
  DatabaseDocumentStorage,
  DocumentProcessor,
  DocumentQueue,
  PdfTextReader,
  TesseractOcr,
} from './contract-documents';
import { ContractDraftService, DraftConfirmer, ProductMappingService } from './contract-drafts';
import {
  ContractAmendmentService,
  ContractChangeRunner,
  ContractChangeTiming,
  ContractEndReader,
  ContractHistoryService,
  ContractRenewalService,
  ContractService,
  SignUpService,
} from './contracts';
import {
  CommitmentInvoices,
  CreditDrawdownService,
  CreditQueryService,
  CreditService,
  CustomerBalanceLedger,
} from './credits';
import {
  CrmOutboxService,
  CustomerAccountLinks,
  ExpansionCrmSync,
  SalesforceClients,
  SalesforceConnectionQueries,
  SalesforceConnectionService,
  SalesforceCrmGateway,
  SecretBox,
  SelfServeCrmSync,
} from './crm';
import { AccountHistoryService } from './account-history';
import { AccountService, CustomerService } from './customers';
import { CreditNoteNumbers, CreditNoteService } from './credit-notes';
import { ExportService } from './exports';
import {
  ContractPeriodInvoices,
  InvoiceCatalogService,
  InvoiceScheduleService,
  InvoiceService,
  InvoiceUsageService,
} from './invoicing';
import { ContractionService, ExpansionConfirmation, ExpansionRequestService } from './expansion';
import { LiveInvoiceService } from './live';
import {
  AutoPayService,
  PaymentMethodService,
  PaymentService,
  RecordedPaymentProvider,
  StripeApi,
  StripeProvider,
  TestCardPaymentProvider,
  TestPaymentMethodProvider,
} from './payments';
import { PricePreviewService } from './previews';
import { ApiKeyService, OrganizationService, PortalTokenService, SandboxService } from './platform';
import {
  EventIngestionService,
  UsageAggregationService,
  UsageEventFailureService,
  UsageQueryService,
} from './usage';
import { WebhookDeliveryService, WebhookEndpointService, WebhookEventService } from './webhooks';

/**
 * Every service, built once in the composition root and handed to resolvers, REST handlers and workers.
 * Services hold no request state; each method takes the RequestContext first.
 */
export function createServices(db: DataSource, config: AppConfig, pubsub: PubSub) {
  const apiKeys = new ApiKeyService(db, pubsub);
  // Webhooks: the event outbox is handed to every feature that reports changes (see webhookEvents below).
  const webhookUrls = new PublicUrlPolicy({ allowPrivate: config.webhooksAllowPrivateUrls });
  const webhookEvents = new WebhookEventService();
  const webhooks = {
    urls: webhookUrls,
    endpoints: new WebhookEndpointService(webhookUrls),
    events: webhookEvents,
    deliveries: new WebhookDeliveryService({
      baseMs: config.webhookRetryBaseMs,
      maxMs: config.webhookRetryMaxMs,
      windowMs: config.webhookRetryWindowMs,
      leaseMs: config.webhookTimeoutMs + 30_000,
    }),
  };
  const organizations = new OrganizationService(apiKeys);
  const portalTokens = new PortalTokenService(db, config.portalTokenSecret, pubsub);
  const meters = new MeterService();
  const rateCards = new RateCardService(meters, pubsub);
  const pricings = new PricingService(meters, rateCards);
  const plans = new PlanService();
  const customers = new CustomerService();
  const usage = new UsageQueryService();
  const usageAggregation = new UsageAggregationService();
  const usageEventFailures = new UsageEventFailureService();
  const invoiceSchedule = new InvoiceScheduleService();
  // Credits need invoices, which need contracts: contracts reach the credit service through a closure.
  const contracts = new ContractService(
    invoiceSchedule,
    (tx, contract, input): Promise<unknown> => credits.grantAtContractCreation(tx, contract, input),
    pubsub,
    webhookEvents,
  );
  // Invoices draw the customer's credits at finalization and announce finalizations and voids live.
  const creditDrawdown = new CreditDrawdownService(pubsub);
  const invoices = new InvoiceService(
    config,
    contracts,
    invoiceSchedule,
    new InvoiceCatalogService(),
    new InvoiceUsageService(),
    usageAggregation,
    creditDrawdown,
    pubsub,
    webhookEvents,
  );
  // Events for a period whose invoice is finalized are rejected.
  const events = new EventIngestionService(config, invoices.closedPeriodGuard());
  // Credits. Commitment invoices take their number from the invoice engine's gap-free sequence.
  const commitmentInvoices = new CommitmentInvoices((tx) => invoices.allocateNumber(tx));
  const credits = new CreditService(pubsub, commitmentInvoices, webhookEvents);
  const creditQueries = new CreditQueryService();
  // Salesforce connector.
  const salesforceLog = createLogger(config.logLevel).child({ component: 'salesforce' });
  const salesforceConnections = new SalesforceConnectionQueries();
  const salesforceClients = new SalesforceClients(
    new SecretBox(config.secretsEncryptionKey),
    new PublicUrlPolicy({ allowPrivate: config.salesforceAllowPrivateUrls }),
    salesforceLog,
  );
  const crmGateway = new SalesforceCrmGateway(salesforceConnections, salesforceClients, salesforceLog);
  const crmOutbox = new CrmOutboxService(crmGateway, salesforceLog, webhookEvents);
  const productMappings = new ProductMappingService();
  const selfServeCrm = new SelfServeCrmSync(crmOutbox, salesforceConnections);
  // Contract Extraction: confirming a reviewed draft creates the customer, contract, credits and invoices.
  const contractDrafts = new ContractDraftService(
    crmOutbox,
    // A confirmed expansion deal ends the customer's self-serve contract (built below, called later).
    new DraftConfirmer(customers, contracts, selfServeCrm, (tx, deal) =>
      expansionConfirmation.begin(tx, deal),
    ),
    webhookEvents,
  );
  // Contract Extraction from uploaded agreements: stored in the database, read by the document worker.
  const documentStorage = new DatabaseDocumentStorage();
  const contractDocuments = new ContractDocumentService(documentStorage, contractDrafts);
  const documentProcessor = new DocumentProcessor(
    new DocumentQueue(),
    documentStorage,
    new AgreementReader(new PdfTextReader(), config.ocrEnabled ? new TesseractOcr() : null),
    new BuiltInContractExtractor(),
    contractDrafts,
  );
  const salesforce = new SalesforceConnectionService(
    salesforceConnections,
    salesforceClients,
    crmGateway,
    contractDrafts,
    productMappings,
    salesforceLog,
  );
  const customerAccountLinks = new CustomerAccountLinks(crmOutbox, salesforceConnections);
  // Expansion and contraction between the self-serve and sales-led channels.
  const expansionCrm = new ExpansionCrmSync(crmOutbox, salesforceConnections);
  const expansionRequests = new ExpansionRequestService(expansionCrm);
  const live = new LiveInvoiceService(pubsub, invoices, contracts, customers, creditQueries);
  // Self-serve: catalog, sign-up, contract management, payments, account contacts, sandboxes.
  const contractPeriodInvoices = new ContractPeriodInvoices((tx, id) => invoices.void(tx, id));
  const contractHistory = new ContractHistoryService();
  const contractRenewals = new ContractRenewalService(
    invoiceSchedule,
    contractPeriodInvoices,
    selfServeCrm,
    pubsub,
    webhookEvents,
  );
  const contractAmendments = new ContractAmendmentService(
    new ContractChangeRunner(contractRenewals, contractHistory, selfServeCrm, pubsub, webhookEvents),
    new ContractChangeTiming(contractPeriodInvoices),
    contractPeriodInvoices,
    invoiceSchedule,
    credits,
  );
  const expansionConfirmation = new ExpansionConfirmation(contractAmendments);
  const contractions = new ContractionService(contracts, contractAmendments, contractHistory, selfServeCrm);
  const payments = new PaymentService(new RecordedPaymentProvider(), webhookEvents);
  if (!config.production) payments.register(new TestCardPaymentProvider());
  // Stripe, when configured: payment methods (pm_… tokens) and their charges.
  const stripe = config.stripeSecretKey
    ? new StripeProvider(new StripeApi({ secretKey: config.stripeSecretKey, apiUrl: config.stripeApiUrl }))
    : null;
  if (stripe) payments.register(stripe);
  const paymentMethodProviders = [
    ...(stripe ? [stripe] : []),
    ...(config.production ? [] : [new TestPaymentMethodProvider()]),
  ];
  const signUps = new SignUpService(customers, contracts, credits, contractHistory, selfServeCrm);
  const selfServe = {
    catalog: new ProductCatalogService(),
    signUps,
    amendments: contractAmendments,
    previews: new PricePreviewService(
      contractAmendments,
      contractHistory,
      signUps,
      invoiceSchedule,
      invoices,
    ),
    renewals: contractRenewals,
    contractHistory,
    contractEnds: new ContractEndReader(),
    payments,
    paymentMethods: new PaymentMethodService(paymentMethodProviders),
    autoPay: new AutoPayService(payments),
    accounts: new AccountService(),
    accountHistory: new AccountHistoryService(),
    sandboxes: new SandboxService(apiKeys, config.sandboxQuota),
  };
  return {
    webhooks,
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
    usageAggregation,
    usageEventFailures,
    credits,
    creditQueries,
    creditDrawdown,
    invoiceSchedule,
    contracts,
    invoices,
    crmOutbox,
    productMappings,
    contractDrafts,
    contractDocuments,
    documentProcessor,
    salesforce,
    exports: new ExportService(config.exportPageSize),
    customerAccountLinks,
    expansionCrm,
    expansionRequests,
    expansionConfirmation,
    contractions,
    creditNotes: new CreditNoteService(new CreditNoteNumbers(), new CustomerBalanceLedger(), pubsub),
  };
}

export type Services = ReturnType<typeof createServices>;
