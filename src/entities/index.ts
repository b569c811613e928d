import { ApiKeyEntity } from './api-key.entity';
import { ContractAmendmentEntity } from './contract-amendment.entity';
import { ContractItemEntity } from './contract-item.entity';
import { ContractOneTimeChargeEntity } from './contract-one-time-charge.entity';
import { ContractRateOverrideEntity } from './contract-rate-override.entity';
import { ContractEntity } from './contract.entity';
import { CreditGrantEntity } from './credit-grant.entity';
import { CreditLedgerEntryEntity } from './credit-ledger-entry.entity';
import { InvoiceLineEntity } from './invoice-line.entity';
import { InvoiceEntity } from './invoice.entity';
import { CustomerEntity } from './customer.entity';
import { EnvironmentEntity } from './environment.entity';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { PlanItemEntity } from './plan-item.entity';
import { PlanEntity } from './plan.entity';
import { PricingEntity } from './pricing.entity';
import { RateCardEntryEntity } from './rate-card-entry.entity';
import { RateCardEntity } from './rate-card.entity';
import { ContractDraftEntity } from './contract-draft.entity';
import { ContractDocumentEntity } from './contract-document.entity';
import { ContractDocumentPartEntity } from './contract-document-part.entity';
import { CrmOutboxEntity } from './crm-outbox.entity';
import { ProductMappingEntity } from './product-mapping.entity';
import { SalesforceConnectionEntity } from './salesforce-connection.entity';
// Self-serve
import { AccountContactsEntity } from './account-contacts.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { PaymentEntity } from './payment.entity';
import { PaymentMethodEntity } from './payment-method.entity';
import { PortalTokenRevocationEntity } from './portal-token-revocation.entity';
import { UsageEventFailureEntity } from './usage-event-failure.entity';
// Expansion and contraction
import { ExpansionRequestEntity } from './expansion-request.entity';
import { ScheduledContractionEntity } from './scheduled-contraction.entity';
import { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEventEntity } from './webhook-event.entity';
// Commitments
import { CreditNoteEntity, CreditNoteLineEntity } from './credit-note.entity';
import { CustomerBalanceEntryEntity } from './customer-balance-entry.entity';

/** Every entity the data source knows. Add new ones here (one line each). */
export const ENTITIES = [
  OrganizationEntity,
  EnvironmentEntity,
  ApiKeyEntity,
  CustomerEntity,
  MeterEntity,
  RateCardEntity,
  RateCardEntryEntity,
  PricingEntity,
  PlanEntity,
  PlanItemEntity,
  ContractEntity,
  ContractItemEntity,
  ContractRateOverrideEntity,
  ContractAmendmentEntity,
  ContractOneTimeChargeEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  CreditGrantEntity,
  CreditLedgerEntryEntity,
  SalesforceConnectionEntity,
  ProductMappingEntity,
  ContractDraftEntity,
  ContractDocumentEntity,
  ContractDocumentPartEntity,
  CrmOutboxEntity,
  IdempotencyRecordEntity,
  PaymentEntity,
  AccountContactsEntity,
  PortalTokenRevocationEntity,
  UsageEventFailureEntity,
  ExpansionRequestEntity,
  ScheduledContractionEntity,
  WebhookEndpointEntity,
  WebhookEventEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  CreditNoteEntity,
  CreditNoteLineEntity,
  CustomerBalanceEntryEntity,
  PaymentMethodEntity,
];
