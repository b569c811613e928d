import type { MiddlewareFn } from 'type-graphql';
import { forbidden, notFound } from '../../domain/errors';
import { ContractEntity } from '../../entities/contract.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { GraphQLContext } from '../context';

type Args = Record<string, unknown>;
type OwnershipCheck = (context: GraphQLContext, args: Args) => Promise<void>;

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

function portalCustomer(context: GraphQLContext): string {
  return context.ctx.portalCustomerId!;
}

/** The argument names a customer id; it must be the token's own (and is required). */
const ownCustomer =
  (arg: string): OwnershipCheck =>
  async (context, args) => {
    if (args[arg] !== portalCustomer(context)) throw forbidden(`A customer token may only read its own customer (${arg})`);
  };

/** The argument names a contract or invoice id; the row must belong to the token's customer. */
const ownRow =
  (entity: typeof ContractEntity | typeof InvoiceEntity, what: string, arg: string): OwnershipCheck =>
  async (context, args) => {
    const id = args[arg];
    if (typeof id !== 'string') throw forbidden(`A customer token must name its own ${what} (${arg})`);
    const row = await context.loaders.byId<{ id: string; customerId: string }>(entity).load(id);
    if (!row) throw notFound(what, id);
    if (row.customerId !== portalCustomer(context)) throw forbidden(`This ${what} belongs to another customer`);
  };

/** One of several arguments identifies the customer (e.g. `customerId` or `contractId`). */
const anyOf =
  (...checks: Array<[string, OwnershipCheck]>): OwnershipCheck =>
  async (context, args) => {
    const present = checks.filter(([arg]) => args[arg] !== undefined && args[arg] !== null);
    if (!present.length) throw forbidden(`A customer token must name its own ${checks.map(([a]) => a).join(' or ')}`);
    for (const [, check] of present) await check(context, args);
  };

const ownContract = (arg: string) => ownRow(ContractEntity, 'Contract', arg);
const ownInvoice = (arg: string) => ownRow(InvoiceEntity, 'Invoice', arg);

/**
 * The root fields a customer-portal token may use, each with the check that keeps it to its own
 * customer. Everything not listed is FORBIDDEN for portal tokens (allow-list, never deny-list).
 */
export const PORTAL_FIELDS: Record<string, OwnershipCheck> = {
  customer: ownCustomer('id'),
  contracts: ownCustomer('customerId'),
  contract: ownContract('id'),
  contractHistory: ownContract('contractId'),
  draftInvoice: ownContract('contractId'),
  draftInvoices: ownCustomer('customerId'),
  invoices: ownCustomer('customerId'),
  invoice: ownInvoice('id'),
  creditBalance: ownCustomer('customerId'),
  creditLedger: ownCustomer('customerId'),
  accountContacts: ownCustomer('customerId'),
  payInvoice: ownInvoice('invoiceId'),
  draftInvoiceUpdated: anyOf(['customerId', ownCustomer('customerId')], ['contractId', ownContract('contractId')]),
  creditBalanceUpdated: ownCustomer('customerId'),
};

/** Applies PORTAL_FIELDS to every root field a customer-portal token calls. API keys pass through. */
export const PortalGuard: MiddlewareFn<GraphQLContext> = async ({ context, info, args }, next) => {
  if (context.ctx.caller.kind !== 'PORTAL' || !ROOT_TYPES.has(info.parentType.name)) return next();
  const check = PORTAL_FIELDS[info.fieldName];
  if (!check) throw forbidden(`${info.fieldName} is not available to customer tokens`);
  await check(context, args as Args);
  return next();
};

/** The same checks for subscription `subscribe` functions, which middlewares do not wrap. */
export async function checkPortalAccess(context: GraphQLContext, fieldName: string, args: Args): Promise<void> {
  if (context.ctx.caller.kind !== 'PORTAL') return;
  const check = PORTAL_FIELDS[fieldName];
  if (!check) throw forbidden(`${fieldName} is not available to customer tokens`);
  await check(context, args);
}
