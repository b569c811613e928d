import { getNamedType, isObjectType } from 'graphql';
import type { MiddlewareFn } from 'type-graphql';
import { forbidden } from '../../domain/errors';
import { ContractEntity } from '../../entities/contract.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { PaymentMethodEntity } from '../../entities/payment-method.entity';
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
    if (args[arg] !== portalCustomer(context))
      throw forbidden(`A customer token may only read its own customer (${arg})`);
  };

/** The argument names a contract or invoice id; the row must belong to the token's customer. */
const ownRow =
  (
    entity: typeof ContractEntity | typeof InvoiceEntity | typeof PaymentMethodEntity,
    what: string,
    arg: string,
  ): OwnershipCheck =>
  async (context, args) => {
    const id = args[arg];
    if (typeof id !== 'string') throw forbidden(`A customer token must name its own ${what} (${arg})`);
    const row = await context.loaders.byId<{ id: string; customerId: string }>(entity).load(id);
    // Unknown and someone else's look the same to a customer token: no oracle for other customers' ids.
    if (!row || row.customerId !== portalCustomer(context)) {
      throw forbidden(`A customer token may only read its own ${what.toLowerCase()}s (${arg})`);
    }
  };

/** One of several arguments identifies the customer (e.g. `customerId` or `contractId`). */
const anyOf =
  (...checks: Array<[string, OwnershipCheck]>): OwnershipCheck =>
  async (context, args) => {
    const present = checks.filter(([arg]) => args[arg] !== undefined && args[arg] !== null);
    if (!present.length)
      throw forbidden(`A customer token must name its own ${checks.map(([a]) => a).join(' or ')}`);
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
  draftInvoiceUpdated: anyOf(
    ['customerId', ownCustomer('customerId')],
    ['contractId', ownContract('contractId')],
  ),
  creditBalanceUpdated: ownCustomer('customerId'),
  // Self-serve: the public catalog, and in-app contract management on the token's own contracts
  // (recorded with source SELF_SERVE).
  productCatalog: async () => undefined,
  changePlan: ownContract('contractId'),
  addAddOn: ownContract('contractId'),
  removeAddOn: ownContract('contractId'),
  changeQuantity: ownContract('contractId'),
  changeBillingCycle: ownContract('contractId'),
  cancelContract: ownContract('contractId'),
  setAutoRenew: ownContract('contractId'),
  // Expansion: the customer asks to talk to sales about its own self-serve contract.
  requestExpansion: ownContract('contractId'),
  previewContractChange: ownContract('contractId'),
  accountHistory: ownCustomer('customerId'),
  paymentMethods: ownCustomer('customerId'),
  addPaymentMethod: ownCustomer('customerId'),
  setDefaultPaymentMethod: ownRow(PaymentMethodEntity, 'PaymentMethod', 'id'),
  removePaymentMethod: ownRow(PaymentMethodEntity, 'PaymentMethod', 'id'),
};

/**
 * Nested fields a portal token may not read although their parent is its own: they list environment-wide
 * rows that are not about the customer (a meter's rate cards include cards negotiated for other customers).
 */
export const PORTAL_HIDDEN_FIELDS: ReadonlySet<string> = new Set(['Meter.rateCards']);

/** The customer a resolved row belongs to, when it says: `customerId`, or the id of a Customer. */
function ownerOf(value: unknown, typeName: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  const row = value as { customerId?: unknown; id?: unknown };
  if (typeof row.customerId === 'string') return row.customerId;
  if (typeName === 'Customer' && typeof row.id === 'string') return row.id;
  return null;
}

/**
 * Defence in depth for nested fields: whatever path a query takes (`customer(id: own) { contracts {
 * invoices … } }`), every row it resolves that names a customer must name the token's own. Lists and
 * connections (`nodes`, `edges[].node`) are checked row by row.
 */
function assertOwnResult(result: unknown, typeName: string, own: string): void {
  const rows: unknown[] = Array.isArray(result) ? result : [result];
  for (const row of rows) {
    if (row === null || typeof row !== 'object') continue;
    const connection = row as { nodes?: unknown; edges?: unknown };
    if (Array.isArray(connection.nodes)) assertOwnResult(connection.nodes, '', own);
    if (Array.isArray(connection.edges)) {
      assertOwnResult(
        connection.edges.map((edge: { node?: unknown }) => edge?.node),
        '',
        own,
      );
    }
    const owner = ownerOf(row, typeName);
    if (owner !== null && owner !== own) throw forbidden('This belongs to another customer');
  }
}

/**
 * Customer-portal tokens: root fields must be in PORTAL_FIELDS and pass its ownership check (allow-list,
 * never deny-list); every field's result is then checked to belong to the token's customer, so nested
 * fields cannot reach other customers either. API keys pass through untouched.
 *
 * Subscription root fields are checked once, in their `subscribe` function (checkPortalAccess), since
 * middlewares do not wrap it; here, per message, only the allow-list and the result are checked.
 */
export const PortalGuard: MiddlewareFn<GraphQLContext> = async ({ context, info, args }, next) => {
  if (context.ctx.caller.kind !== 'PORTAL') return next();
  const parent = info.parentType.name;
  if (ROOT_TYPES.has(parent)) {
    const check = PORTAL_FIELDS[info.fieldName];
    if (!check) throw forbidden(`${info.fieldName} is not available to customer tokens`);
    if (parent !== 'Subscription') await check(context, args as Args);
  } else if (PORTAL_HIDDEN_FIELDS.has(`${parent}.${info.fieldName}`)) {
    throw forbidden(`${parent}.${info.fieldName} is not available to customer tokens`);
  }
  const result: unknown = await next();
  // Only object types are rows (a JSON scalar such as `dimensions` may hold any key).
  const named = getNamedType(info.returnType);
  if (result !== null && typeof result === 'object' && isObjectType(named)) {
    assertOwnResult(result, named.name, portalCustomer(context));
  }
  return result;
};

/** The same checks for subscription `subscribe` functions, which middlewares do not wrap. */
export async function checkPortalAccess(
  context: GraphQLContext,
  fieldName: string,
  args: Args,
): Promise<void> {
  if (context.ctx.caller.kind !== 'PORTAL') return;
  const check = PORTAL_FIELDS[fieldName];
  if (!check) throw forbidden(`${fieldName} is not available to customer tokens`);
  await check(context, args);
}
