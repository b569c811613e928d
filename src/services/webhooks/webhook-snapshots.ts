import type { RequestContext } from '../../context';
import { notFound } from '../../domain/errors';
import { Decimal, formatAmount, minorUnitDigits } from '../../domain/money';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { WebhookObjectKind } from './webhook-event-types';

/**
 * The `data` of a webhook event: the reported object's full current state as read inside the transaction
 * of the change (so it includes that change), in the API's wire conventions: money as strings with the
 * currency's minor digits, times as ISO-8601 UTC. Only reads; each table stays written by its owner.
 */
export type Snapshot = Record<string, unknown>;

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);
const money = (value: Decimal | null, currency: string): string | null =>
  value === null ? null : formatAmount(value, currency);
/** Credit columns hold minor units (cents): shown as amounts like every other money field. */
const fromCents = (cents: Decimal, currency: string): string =>
  formatAmount(new Decimal(cents).div(new Decimal(10).pow(minorUnitDigits(currency))), currency);

async function invoice(tx: RequestContext, id: string): Promise<Snapshot> {
  const row = await tx.repo(InvoiceEntity).findOne({ where: { id, environmentId: tx.environmentId } });
  if (!row) throw notFound('Invoice', id);
  const lines = await tx
    .repo(InvoiceLineEntity)
    .find({ where: { invoiceId: id }, order: { position: 'ASC' } });
  const c = row.currency;
  return {
    object: 'invoice',
    id: row.id,
    customerId: row.customerId,
    contractId: row.contractId,
    kind: row.kind,
    status: row.status,
    number: row.number,
    currency: c,
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    issuedAt: iso(row.issuedAt),
    dueDate: iso(row.dueDate),
    subtotal: money(row.subtotal, c),
    creditsApplied: money(row.creditsApplied, c),
    total: money(row.total, c),
    amountDue: money(row.amountDue, c),
    amountPaid: money(row.amountPaid, c),
    finalizedAt: iso(row.finalizedAt),
    voidedAt: iso(row.voidedAt),
    lines: lines.map((line) => ({
      id: line.id,
      kind: line.kind,
      description: line.description,
      meterCode: line.meterCode,
      dimensions: line.dimensions,
      quantity: line.quantity.toFixed(),
      rate: line.rate?.toFixed() ?? null,
      amount: money(line.amount, c),
      creditsApplied: money(line.creditsApplied, c),
      serviceFrom: iso(line.serviceFrom),
      serviceTo: iso(line.serviceTo),
    })),
  };
}

async function creditGrant(tx: RequestContext, id: string): Promise<Snapshot> {
  const row = await tx.repo(CreditGrantEntity).findOne({ where: { id, environmentId: tx.environmentId } });
  if (!row) throw notFound('Credit grant', id);
  return {
    object: 'credit_grant',
    id: row.id,
    customerId: row.customerId,
    contractId: row.contractId,
    type: row.type,
    status: row.status,
    currency: row.currency,
    amount: fromCents(row.amountCents, row.currency),
    remaining: fromCents(row.remainingCents, row.currency),
    description: row.description,
    effectiveAt: iso(row.effectiveAt),
    expiresAt: iso(row.expiresAt),
    closedAt: iso(row.closedAt),
  };
}

async function contract(tx: RequestContext, id: string): Promise<Snapshot> {
  const row = await tx.repo(ContractEntity).findOne({ where: { id, environmentId: tx.environmentId } });
  if (!row) throw notFound('Contract', id);
  return {
    object: 'contract',
    id: row.id,
    customerId: row.customerId,
    planId: row.planId,
    currency: row.currency,
    status: row.status,
    startDate: iso(row.startDate),
    endDate: iso(row.endDate),
    billingCycle: row.billingCycle,
    paymentTermsDays: row.paymentTermsDays,
    autoPay: row.autoPay,
    autoRenew: row.autoRenew,
    dimensions: row.dimensions,
    source: row.source,
    updatedAt: iso(row.updatedAt),
  };
}

async function contractDraft(tx: RequestContext, id: string): Promise<Snapshot> {
  const row = await tx.repo(ContractDraftEntity).findOne({ where: { id, environmentId: tx.environmentId } });
  if (!row) throw notFound('Contract draft', id);
  return {
    object: 'contract_draft',
    id: row.id,
    source: row.source,
    status: row.status,
    opportunityId: row.opportunityId,
    content: row.content,
    issues: row.issues,
    confirmedContractId: row.confirmedContractId,
    confirmedCustomerId: row.confirmedCustomerId,
    updatedAt: iso(row.updatedAt),
  };
}

async function outboxEntry(tx: RequestContext, id: string): Promise<Snapshot> {
  const row = await tx.repo(CrmOutboxEntity).findOne({ where: { id, environmentId: tx.environmentId } });
  if (!row) throw notFound('Outbox entry', id);
  return {
    object: 'salesforce_outbox_entry',
    id: row.id,
    sobjectType: row.sobjectType,
    externalId: row.externalId,
    status: row.status,
    attempts: row.attempts,
    lastErrorCode: row.lastErrorCode,
    lastError: row.lastError,
    updatedAt: iso(row.updatedAt),
  };
}

export const SNAPSHOTS: Record<WebhookObjectKind, (tx: RequestContext, id: string) => Promise<Snapshot>> = {
  invoice,
  credit_grant: creditGrant,
  contract,
  contract_draft: contractDraft,
  salesforce_outbox_entry: outboxEntry,
};
