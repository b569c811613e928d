import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';

/**
 * Applies pending migrations, each in its own transaction. Run once by whichever process starts first: the
 * supervisor before it forks (so several processes never race to migrate), or a single process at start.
 */
export async function applyMigrations(db: DataSource, log: Logger): Promise<void> {
  const applied = await db.runMigrations({ transaction: 'each' });
  if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
}
