import { In } from 'typeorm';
import type { PushOutcome } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import type { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import { ExpansionRequestEntity } from '../../entities/expansion-request.entity';

/**
 * After the Opportunity of an expansion request was pushed, its Salesforce Id is recorded on the request:
 * the won deal read back later is recognised by that Id as an expansion of the request's contract.
 */
export async function linkPushedExpansions(
  ctx: RequestContext,
  rows: CrmOutboxEntity[],
  outcomes: PushOutcome[],
): Promise<void> {
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const outcome of outcomes) {
    const row = byId.get(outcome.id);
    if (outcome.status !== 'DONE' || !outcome.salesforceId || row?.sobjectType !== 'ExpansionOpportunity')
      continue;
    await ctx
      .repo(ExpansionRequestEntity)
      .update(
        { id: row.externalId, environmentId: ctx.environmentId },
        { opportunityId: outcome.salesforceId, updatedAt: ctx.now() },
      );
  }
}

/**
 * An expansion request whose Opportunity was lost (closed without being won) or deleted is closed, so the
 * customer can ask again (an open request is returned instead of a new Opportunity).
 */
export async function closeLostExpansions(
  ctx: RequestContext,
  opportunities: ReadonlyArray<{ Id: string; IsClosed?: boolean; IsWon?: boolean; IsDeleted?: boolean }>,
): Promise<void> {
  const lost = opportunities.filter((o) => o.IsDeleted || (o.IsClosed && !o.IsWon)).map((o) => o.Id);
  if (!lost.length) return;
  await ctx
    .repo(ExpansionRequestEntity)
    .update(
      { environmentId: ctx.environmentId, status: 'OPEN', opportunityId: In(lost) },
      { status: 'CLOSED_LOST', updatedAt: ctx.now() },
    );
}
