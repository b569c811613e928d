import type { PushOutcome } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { CustomerEntity } from '../../entities/customer.entity';
import type { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import type { Logger } from '../../logger';

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
