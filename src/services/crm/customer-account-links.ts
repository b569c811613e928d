import { crmChanges, isSalesforceId, type PushOutcome } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { CustomerEntity } from '../../entities/customer.entity';
import type { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import type { Logger } from '../../logger';
import type { CrmOutboxService } from './crm-outbox.service';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';

/**
 * Which Salesforce Account a customer is. A customer linked to an Account is written by that Account's Id
 * (never upserted, which would create a duplicate Account), and its deals match it.
 */
export class CustomerAccountLinks {
  constructor(
    private readonly outbox: CrmOutboxService,
    private readonly connections: Pick<SalesforceConnectionQueries, 'isConnected'>,
  ) {}

  /**
   * Ops link a customer to an Account that already exists in Salesforce; Tally's id is then written onto
   * that Account (by Id) so later deals of the Account match the customer.
   */
  async link(ctx: RequestContext, customerId: string, salesforceAccountId: string): Promise<CustomerEntity> {
    const accountId = salesforceAccountId.trim();
    if (!isSalesforceId(accountId))
      throw badInput('salesforceAccountId', 'must be a 15 or 18 character Salesforce id');
    return withTransaction(ctx, async (tx) => {
      const repo = tx.repo(CustomerEntity);
      const customer = await repo.findOne({
        where: { id: customerId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!customer) throw notFound('Customer', customerId);
      const holder = await repo.findOne({
        where: { environmentId: tx.environmentId, salesforceAccountId: accountId },
      });
      if (holder && holder.id !== customer.id)
        throw conflict(
          `Customer ${holder.id} is already linked to Salesforce account ${accountId}`,
          'salesforceAccountId',
        );
      if (customer.salesforceAccountId !== accountId) {
        customer.salesforceAccountId = accountId;
        customer.updatedAt = tx.now();
        await repo.update(
          { id: customer.id },
          { salesforceAccountId: accountId, updatedAt: customer.updatedAt },
        );
      }
      if (await this.connections.isConnected(tx))
        await this.outbox.enqueue(
          tx,
          crmChanges.account({ customerId: customer.id, name: customer.name, salesforceAccountId: accountId }),
        );
      return customer;
    });
  }
}

/**
 * After an Account upsert by Tally's id succeeded, the customer is linked to the Account Salesforce
 * answered with (the one created, or an existing one that already held the id), so later pushes go by Id.
 * A customer already linked keeps its link; an Account another customer holds is left alone and logged.
 */
export async function linkUpsertedAccounts(
  ctx: RequestContext,
  rows: CrmOutboxEntity[],
  outcomes: PushOutcome[],
  log: Logger,
): Promise<void> {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const links = new Map<string, string>();
  for (const outcome of outcomes) {
    const row = byId.get(outcome.id);
    if (outcome.status !== 'DONE' || !outcome.salesforceId || !row) continue;
    if (row.sobjectType !== 'Account' || row.salesforceId) continue;
    links.set(row.externalId, outcome.salesforceId);
  }
  if (!links.size) return;
  const repo = ctx.repo(CustomerEntity);
  for (const [customerId, accountId] of links) {
    const holder = await repo.findOne({
      select: { id: true },
      where: { environmentId: ctx.environmentId, salesforceAccountId: accountId },
    });
    if (holder) {
      if (holder.id !== customerId)
        log.warn(
          { customerId, salesforceAccountId: accountId, linkedCustomerId: holder.id },
          'Salesforce Account already linked to another customer; not linked',
        );
      continue;
    }
    await ctx.manager.query(
      `UPDATE customers SET salesforce_account_id = ?, updated_at = ?
       WHERE id = ? AND environment_id = ? AND salesforce_account_id IS NULL`,
      [accountId, ctx.now(), customerId, ctx.environmentId],
    );
  }
}
