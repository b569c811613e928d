import type { PushOutcome } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
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
  // Set-based: one read of the Accounts already held, one write for the rest (a push batch holds up to
  // hundreds of Accounts; a query pair per Account would dominate the push).
  const accountIds = [...new Set(links.values())];
  const holders = (await ctx.manager.query(
    `SELECT id, salesforce_account_id AS accountId FROM customers
      WHERE environment_id = ? AND salesforce_account_id IN (${accountIds.map(() => '?').join(', ')})`,
    [ctx.environmentId, ...accountIds],
  )) as Array<{ id: string; accountId: string }>;
  const holderOf = new Map(holders.map((h) => [h.accountId, h.id]));
  const toLink: Array<[string, string]> = [];
  const claimed = new Set<string>();
  for (const [customerId, accountId] of links) {
    const holder = holderOf.get(accountId);
    if (holder !== undefined || claimed.has(accountId)) {
      if (holder !== customerId)
        log.warn(
          { customerId, salesforceAccountId: accountId, linkedCustomerId: holder ?? null },
          'Salesforce Account already linked to another customer; not linked',
        );
      continue;
    }
    claimed.add(accountId);
    toLink.push([customerId, accountId]);
  }
  if (!toLink.length) return;
  await ctx.manager.query(
    `UPDATE customers SET salesforce_account_id = CASE id ${toLink.map(() => 'WHEN ? THEN ?').join(' ')} END,
            updated_at = ?
      WHERE environment_id = ? AND salesforce_account_id IS NULL AND id IN (${toLink.map(() => '?').join(', ')})`,
    [...toLink.flat(), ctx.now(), ctx.environmentId, ...toLink.map(([customerId]) => customerId)],
  );
}
