import type { RequestContext } from '../../context';
import { CrmOutboxEntity } from '../../entities/crm-outbox.entity';

/** The CRM outbox as monitoring sees it, across environments. */
export interface OutboxStats {
  /** Changes waiting to be pushed to Salesforce. */
  pending: number;
  /** When the oldest waiting change was written; null when nothing waits. */
  oldestPendingAt: Date | null;
  /** Changes given up on after their retries (dead letters), kept for ops to look at. */
  dead: number;
}

/** Reads the queue depth, its oldest entry and the dead letters: index range scans on (status, …). */
export async function outboxStats(ctx: RequestContext): Promise<OutboxStats> {
  const rows = (await ctx
    .repo(CrmOutboxEntity)
    .createQueryBuilder('o')
    .select('o.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .addSelect('MIN(o.created_at)', 'oldest')
    .where("o.status IN ('PENDING', 'DEAD')")
    .groupBy('o.status')
    .getRawMany()) as Array<{ status: string; count: string | number; oldest: Date | string | null }>;
  const pending = rows.find((r) => r.status === 'PENDING');
  const dead = rows.find((r) => r.status === 'DEAD');
  return {
    pending: Number(pending?.count ?? 0),
    oldestPendingAt: pending?.oldest ? utcDate(pending.oldest) : null,
    dead: Number(dead?.count ?? 0),
  };
}

/** DATETIME columns hold UTC; a raw aggregate may come back as text without a zone. */
function utcDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
