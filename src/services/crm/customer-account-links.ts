import { crmChanges, isSalesforceId } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { CustomerEntity } from '../../entities/customer.entity';
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
          crmChanges.account({
            customerId: customer.id,
            name: customer.name,
            salesforceAccountId: accountId,
          }),
        );
      return customer;
    });
  }
}
