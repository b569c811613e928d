import { Foundation1763700000000 } from './1763700000000-foundation';
import { UsageEvents1763700100000 } from './1763700100000-usage-events';
import { ContractsInvoices1763700200000 } from './1763700200000-contracts-invoices';
import { Credits1763700300000 } from './1763700300000-credits';
import { Salesforce1763700400000 } from './1763700400000-salesforce';
import { SelfServe1763700500000 } from './1763700500000-self-serve';
import { InvoiceCreditBalance1763700600000 } from './1763700600000-invoice-credit-balance';
import { OneTimeCharges1763700700000 } from './1763700700000-one-time-charges';
import { ExactKeysSignedMeters1763700800000 } from './1763700800000-exact-keys-signed-meters';
import { UsageEventFailures1763700850000 } from './1763700850000-usage-event-failures';
import { IdempotencyScope1763700900000 } from './1763700900000-idempotency-scope';
import { PortalTokenRevocations1763700950000 } from './1763700950000-portal-token-revocations';
import { GraduatedZeroUsage1763701050000 } from './1763701050000-graduated-zero-usage';
import { ExpansionContraction1763701150000 } from './1763701150000-expansion-contraction';
import { Webhooks1763701800000 } from './1763701800000-webhooks';
import { MinimumCommitments1763702000000 } from './1763702000000-minimum-commitments';
import { CreditNotes1763702100000 } from './1763702100000-credit-notes';
import { PricingFreeUnits1763702310000 } from './1763702310000-pricing-free-units';
import { PricingPercentage1763702320000 } from './1763702320000-pricing-percentage';
import { PricingTierScope1763702330000 } from './1763702330000-pricing-tier-scope';
import { ContractBillingAlignment1763702340000 } from './1763702340000-contract-billing-alignment';
import { ContractDocuments1763701200000 } from './1763701200000-contract-documents';
import { RenewalNotice1763702400000 } from './1763702400000-renewal-notice';
import { SandboxExpiry1763702410000 } from './1763702410000-sandbox-expiry';
import { PaymentMethods1763702420000 } from './1763702420000-payment-methods';
import { InvoiceNominalPeriodEnd1763702500000 } from './1763702500000-invoice-nominal-period-end';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works under ts-jest,
 * ts-node and the compiled build. Migrations never import from src/.
 */
export const MIGRATIONS = [
  Foundation1763700000000,
  UsageEvents1763700100000,
  ContractsInvoices1763700200000,
  Credits1763700300000,
  Salesforce1763700400000,
  SelfServe1763700500000,
  InvoiceCreditBalance1763700600000,
  OneTimeCharges1763700700000,
  ExactKeysSignedMeters1763700800000,
  UsageEventFailures1763700850000,
  IdempotencyScope1763700900000,
  PortalTokenRevocations1763700950000,
  GraduatedZeroUsage1763701050000,
  ExpansionContraction1763701150000,
  Webhooks1763701800000,
  MinimumCommitments1763702000000,
  CreditNotes1763702100000,
  PricingFreeUnits1763702310000,
  PricingPercentage1763702320000,
  PricingTierScope1763702330000,
  ContractBillingAlignment1763702340000,
  ContractDocuments1763701200000,
  RenewalNotice1763702400000,
  SandboxExpiry1763702410000,
  PaymentMethods1763702420000,
  InvoiceNominalPeriodEnd1763702500000,
];
