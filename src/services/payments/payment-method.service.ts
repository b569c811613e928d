import { IsNull } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { CustomerEntity } from '../../entities/customer.entity';
import { PaymentMethodEntity } from '../../entities/payment-method.entity';
import { isDuplicateKeyError, requiredText } from '../common';
import type { PaymentMethodProvider } from './payment-method-provider';

/** Active payment methods a customer may hold at once. */
export const MAX_PAYMENT_METHODS = 10;

export interface AddPaymentMethodInput {
  customerId: string;
  /** The processor's token for the card or account (never its number). */
  token: string;
  /** Default: the only processor configured, when there is one. */
  provider?: string | null;
  /** Make it the default; the customer's first method is the default anyway. */
  makeDefault?: boolean | null;
}

const TOKEN_KEY = 'uq_payment_methods_token';

/**
 * Customers' payment methods: added from a processor token, listed, one default, removed (kept as history).
 * Changes of a customer's methods are serialised on the customer row, so there is never more than one
 * default.
 */
export class PaymentMethodService {
  private readonly providers = new Map<string, PaymentMethodProvider>();

  constructor(providers: readonly PaymentMethodProvider[]) {
    for (const provider of providers) this.providers.set(provider.name, provider);
  }

  async add(ctx: RequestContext, input: AddPaymentMethodInput): Promise<PaymentMethodEntity> {
    const token = requiredText(input.token, 'token', 200);
    const provider = this.providerFor(input.provider);
    await this.ownCustomer(ctx, input.customerId);
    const details = await provider.describe(ctx, token);
    try {
      return await withTransaction(ctx, async (tx) => {
        await this.lockCustomer(tx, input.customerId);
        const active = await this.list(tx, input.customerId);
        if (active.length >= MAX_PAYMENT_METHODS) {
          throw conflict(
            `Customer ${input.customerId} has ${active.length} payment methods, the most allowed; remove one first`,
            'customerId',
          );
        }
        const makeDefault = Boolean(input.makeDefault) || active.length === 0;
        if (makeDefault) await this.clearDefault(tx, input.customerId);
        const method = tx.repo(PaymentMethodEntity).create({
          id: newId('pm', tx.now().getTime()),
          environmentId: tx.environmentId,
          customerId: input.customerId,
          provider: provider.name,
          providerToken: token,
          ...details,
          isDefault: makeDefault,
          createdAt: tx.now(),
          removedAt: null,
        });
        await tx.repo(PaymentMethodEntity).insert(method);
        return method;
      });
    } catch (error) {
      if (isDuplicateKeyError(error, TOKEN_KEY)) {
        throw conflict('This payment method was already added (a token is added once)', 'token');
      }
      throw error;
    }
  }

  /** The customer's active methods, the default first, then newest first. */
  async list(ctx: RequestContext, customerId: string): Promise<PaymentMethodEntity[]> {
    await this.ownCustomer(ctx, customerId);
    const methods = await ctx.repo(PaymentMethodEntity).find({
      where: { environmentId: ctx.environmentId, customerId, removedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return methods
      .filter((m) => m.removedAt === null)
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  async setDefault(ctx: RequestContext, id: string): Promise<PaymentMethodEntity> {
    return withTransaction(ctx, async (tx) => {
      const method = await this.findActive(tx, id);
      await this.lockCustomer(tx, method.customerId);
      await this.clearDefault(tx, method.customerId);
      await tx.repo(PaymentMethodEntity).update({ id: method.id }, { isDefault: true });
      return { ...method, isDefault: true };
    });
  }

  /** Removes a method (kept as history); removing the default leaves the customer without one. */
  async remove(ctx: RequestContext, id: string): Promise<PaymentMethodEntity> {
    return withTransaction(ctx, async (tx) => {
      const method = await this.findActive(tx, id);
      await this.lockCustomer(tx, method.customerId);
      const removedAt = tx.now();
      await tx.repo(PaymentMethodEntity).update({ id: method.id }, { isDefault: false, removedAt });
      return { ...method, isDefault: false, removedAt };
    });
  }

  private providerFor(name: string | null | undefined): PaymentMethodProvider {
    if (name) {
      const provider = this.providers.get(name);
      if (!provider) throw badInput('provider', `Unknown payment method provider ${name}`);
      return provider;
    }
    const [only, ...others] = [...this.providers.values()];
    if (!only || others.length) {
      throw badInput(
        'provider',
        `is required (one of ${[...this.providers.keys()].join(', ') || 'none configured'})`,
      );
    }
    return only;
  }

  private async ownCustomer(ctx: RequestContext, customerId: string): Promise<void> {
    const customer = await ctx
      .repo(CustomerEntity)
      .findOne({ where: { id: customerId, environmentId: ctx.environmentId } });
    if (!customer || (ctx.portalCustomerId && customer.id !== ctx.portalCustomerId)) {
      throw notFound('Customer', customerId, 'customerId');
    }
  }

  private async findActive(tx: RequestContext, id: string): Promise<PaymentMethodEntity> {
    const method = await tx
      .repo(PaymentMethodEntity)
      .findOne({ where: { id, environmentId: tx.environmentId } });
    if (
      !method ||
      method.removedAt !== null ||
      (tx.portalCustomerId && method.customerId !== tx.portalCustomerId)
    ) {
      throw notFound('PaymentMethod', id, 'id');
    }
    return method;
  }

  private async lockCustomer(tx: RequestContext, customerId: string): Promise<void> {
    await tx.manager.query('SELECT id FROM customers WHERE id = ? AND environment_id = ? FOR UPDATE', [
      customerId,
      tx.environmentId,
    ]);
  }

  private async clearDefault(tx: RequestContext, customerId: string): Promise<void> {
    await tx
      .repo(PaymentMethodEntity)
      .update({ environmentId: tx.environmentId, customerId, isDefault: true }, { isDefault: false });
  }
}
