import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import type { Clock, RequestContext } from '../context';
import type { Logger } from '../logger';
import type { Services } from '../services';
import { AggregatorWorker } from './aggregator.worker';
import { CreditExpiryWorker } from './credit-expiry.worker';
import { InvoiceFinalizerWorker } from './invoice-finalizer.worker';
import type { Worker } from './worker';
import { CrmOutboxWorker } from './crm-outbox.worker';
import { SalesforcePollerWorker } from './salesforce-poller.worker';
import { ContractRenewalWorker } from './contract-renewal.worker';
import { WebhookSender } from '../services/webhooks';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { ContractDocumentWorker } from './contract-document.worker';
import { SandboxExpiryWorker } from './sandbox-expiry.worker';
import { AutoPayWorker } from './auto-pay.worker';

export interface WorkerDeps {
  db: DataSource;
  services: Services;
  config: AppConfig;
  log: Logger;
  clock: Clock;
  /** A context for background work in one environment. */
  systemContext: (environmentId: string, organizationId: string, name: string) => RequestContext;
}

/** Every background worker, created together so they start and stop together. */
export function createWorkers(deps: WorkerDeps) {
  const aggregator = new AggregatorWorker(
    deps.services.usageAggregation,
    () => deps.systemContext('', '', 'aggregator'),
    deps.services.pubsub,
    deps.config.aggregatorIntervalMs,
    deps.log.child({ worker: 'aggregator' }),
  );
  // Roll up fresh events as soon as they are committed, not at the next tick (keeps the lag well under 1 s).
  deps.services.events.onCommitted(() => aggregator.wake());
  deps.services.usageEventFailures.onRetryQueued(() => aggregator.wake());
  const creditExpiry = new CreditExpiryWorker(
    deps.services.credits,
    () => deps.systemContext('', '', 'credit-expiry'),
    deps.log.child({ worker: 'credit-expiry' }),
  );
  const invoiceFinalizer = new InvoiceFinalizerWorker(
    deps.services.invoices,
    deps.services.invoiceSchedule,
    () => deps.systemContext('', '', 'invoice-finalizer'),
    (environmentId, organizationId) => deps.systemContext(environmentId, organizationId, 'invoice-finalizer'),
    deps.log.child({ worker: 'invoice-finalizer' }),
  );
  // Salesforce: the outbox pusher, woken after every enqueue commits, and the deal poller.
  const crmOutbox = new CrmOutboxWorker(
    deps.services.crmOutbox,
    () => deps.systemContext('', '', 'crm-outbox'),
    deps.log.child({ worker: 'crm-outbox' }),
  );
  deps.services.crmOutbox.onEnqueued(() => crmOutbox.wake());
  const salesforcePoller = new SalesforcePollerWorker(
    deps.services.salesforce,
    deps.systemContext,
    deps.log.child({ worker: 'salesforce-poller' }),
  );
  // Self-serve: auto-renewing contracts continue into a new term once the old one is over.
  const contractRenewal = new ContractRenewalWorker(
    deps.services.selfServe.renewals,
    () => deps.systemContext('', '', 'contract-renewal'),
    (environmentId, organizationId) => deps.systemContext(environmentId, organizationId, 'contract-renewal'),
    deps.log.child({ worker: 'contract-renewal' }),
  );
  // Webhooks: woken after every commit that recorded an event.
  const webhooks = new WebhookDeliveryWorker(
    deps.services.webhooks.deliveries,
    // The signature's timestamp is checked against the receiver's wall clock (replay window), so it is
    // wall-clock time, not the business clock tests move.
    new WebhookSender(deps.services.webhooks.urls, deps.config.webhookTimeoutMs, () =>
      Math.floor(Date.now() / 1000),
    ),
    () => deps.systemContext('', '', 'webhook-delivery'),
    deps.log.child({ worker: 'webhook-delivery' }),
    deps.config.webhookConcurrencyPerEndpoint,
    deps.config.webhookTimeoutMs + 5_000,
    deps.services.webhooks.deliveries.leaseMs,
  );
  deps.services.webhooks.events.onRecorded(() => webhooks.wake());
  // Contract Extraction: uploaded agreements are read into their drafts, starting right after the upload.
  const contractDocuments = new ContractDocumentWorker(
    deps.services.documentProcessor,
    () => deps.systemContext('', '', 'contract-documents'),
    deps.log.child({ worker: 'contract-documents' }),
  );
  deps.services.contractDocuments.onQueued(() => contractDocuments.wake());
  // Sandboxes created with a time to live delete themselves once it has passed.
  const sandboxExpiry = new SandboxExpiryWorker(
    deps.services.selfServe.sandboxes,
    () => deps.systemContext('', '', 'sandbox-expiry'),
    deps.log.child({ worker: 'sandbox-expiry' }),
  );
  // Auto-pay charges finalized invoices to the default payment method, right after finalization and on the
  // dunning schedule.
  const autoPay = new AutoPayWorker(
    deps.services.selfServe.autoPay,
    () => deps.systemContext('', '', 'auto-pay'),
    (environmentId, organizationId) => deps.systemContext(environmentId, organizationId, 'auto-pay'),
    deps.log.child({ worker: 'auto-pay' }),
  );
  deps.services.invoices.onFinalizeAttempt((outcome) => {
    if (outcome === 'FINALIZED') autoPay.wake();
  });
  const all: Worker[] = [
    aggregator,
    creditExpiry,
    invoiceFinalizer,
    crmOutbox,
    salesforcePoller,
    contractRenewal,
    webhooks,
    contractDocuments,
    sandboxExpiry,
    autoPay,
  ];
  return {
    all,
    aggregator,
    creditExpiry,
    invoiceFinalizer,
    crmOutbox,
    salesforcePoller,
    contractRenewal,
    webhooks,
    contractDocuments,
    sandboxExpiry,
    autoPay,
    startAll: () => all.forEach((worker) => worker.start()),
    stopAll: async () => {
      await Promise.all(all.map((worker) => worker.stop()));
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
