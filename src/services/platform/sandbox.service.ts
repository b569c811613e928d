import { performance } from 'node:perf_hooks';
import type { ObjectLiteral } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { AppError, badInput, conflict, ErrorCode, forbidden, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { EnvironmentEntity } from '../../entities/environment.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';
import { RateCardEntity } from '../../entities/rate-card.entity';
import type { ApiKeyService } from './api-key.service';
import { isDuplicateKeyError, requiredText } from '../common';

export interface CreateSandboxInput {
  name: string;
  /** An environment of the organization, by id or name (`live`), whose catalog is copied; absent = empty. */
  copyCatalogFrom?: string | null;
  /** Hours after which the sandbox deletes itself (1–MAX_SANDBOX_TTL_HOURS); absent = kept until deleted. */
  ttlHours?: number | null;
}

/** The longest time to live a sandbox may ask for: a year. */
export const MAX_SANDBOX_TTL_HOURS = 8760;

const HOUR_MS = 3_600_000;

export interface CloneCounts {
  meters: number;
  rateCards: number;
  rateCardEntries: number;
  pricings: number;
  plans: number;
  planItems: number;
}

export interface CreatedSandbox {
  environment: EnvironmentEntity;
  /** The sandbox's API key, shown once. */
  apiKey: string;
  apiKeyId: string;
  cloned: CloneCounts;
  /** Wall time of the catalog copy, for the curious (and the bench). */
  cloneMs: number;
}

export interface DeletedSandbox {
  id: string;
  name: string;
  /** Rows removed across every environment-scoped table. */
  deletedRows: number;
}

const BATCH = 500;
const EMPTY: CloneCounts = {
  meters: 0,
  rateCards: 0,
  rateCardEntries: 0,
  pricings: 0,
  plans: 0,
  planItems: 0,
};

/**
 * Sandboxes on the fly: an isolated environment (kind SANDBOX) of the caller's organization with its own API
 * key, optionally with a copy of another environment's catalog (meters, rate cards and entries, pricings,
 * plans and items; never customers, contracts or events). Every service scopes by the key's environment, so
 * a sandbox key cannot read or write any other environment; managing sandboxes needs a LIVE key.
 */
export class SandboxService {
  constructor(
    private readonly apiKeys: ApiKeyService,
    /** Sandboxes an organization may have at once. */
    private readonly quota: number,
  ) {}

  async create(ctx: RequestContext, input: CreateSandboxInput): Promise<CreatedSandbox> {
    await this.requireLiveKey(ctx);
    const name = requiredText(input.name, 'name', 100);
    if (name.toLowerCase() === 'live') throw badInput('name', '`live` is the live environment’s name');
    const ttlHours = input.ttlHours ?? null;
    if (
      ttlHours !== null &&
      (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > MAX_SANDBOX_TTL_HOURS)
    ) {
      throw badInput('ttlHours', `must be a whole number of hours from 1 to ${MAX_SANDBOX_TTL_HOURS}`);
    }
    const source = input.copyCatalogFrom
      ? await this.findEnvironment(ctx, input.copyCatalogFrom, 'copyCatalogFrom')
      : null;
    try {
      return await withTransaction(ctx, async (tx) => {
        await this.checkQuota(tx);
        const now = tx.now();
        const environment = tx.repo(EnvironmentEntity).create({
          id: newId('env', now.getTime()),
          organizationId: tx.organizationId,
          name,
          kind: 'SANDBOX',
          createdAt: now,
          expiresAt: ttlHours === null ? null : new Date(now.getTime() + ttlHours * HOUR_MS),
        });
        await tx.repo(EnvironmentEntity).insert(environment);
        const key = await this.apiKeys.create(
          tx.forEnvironment(environment.id),
          `sandbox ${name}`.slice(0, 100),
          'sandbox',
        );
        const started = performance.now();
        const cloned = source ? await this.cloneCatalog(tx, source.id, environment.id) : EMPTY;
        const cloneMs = Math.round(performance.now() - started);
        tx.log.info({ sandboxId: environment.id, ...cloned, cloneMs }, 'sandbox created');
        return { environment, apiKey: key.secret, apiKeyId: key.apiKey.id, cloned, cloneMs };
      });
    } catch (error) {
      if (isDuplicateKeyError(error, 'uq_environments_org_name')) {
        throw conflict(`The organization already has an environment named ${name}`, 'name');
      }
      throw error;
    }
  }

  /** The organization's environments (live first); a sandbox key sees only its own environment. */
  async list(ctx: RequestContext): Promise<EnvironmentEntity[]> {
    const own = await ctx.repo(EnvironmentEntity).findOneOrFail({ where: { id: ctx.environmentId } });
    if (own.kind !== 'LIVE') return [own];
    const all = await ctx
      .repo(EnvironmentEntity)
      .find({ where: { organizationId: own.organizationId }, order: { id: 'ASC' } });
    return all.sort((a, b) => Number(b.kind === 'LIVE') - Number(a.kind === 'LIVE'));
  }

  /** Deletes a sandbox of the caller's organization with all of its data (see `remove`). */
  async delete(ctx: RequestContext, id: string): Promise<DeletedSandbox> {
    await this.requireLiveKey(ctx);
    const environment = await this.findEnvironment(ctx, id, 'id');
    if (environment.kind !== 'SANDBOX') throw conflict('The live environment cannot be deleted', 'id');
    return this.remove(ctx, environment);
  }

  /**
   * Deletes up to `limit` sandboxes (of any organization) whose time to live has passed, oldest expiry
   * first; the expiry worker calls it. One failing deletion does not stop the others.
   */
  async deleteExpired(ctx: RequestContext, limit: number): Promise<DeletedSandbox[]> {
    const expired = await ctx
      .repo(EnvironmentEntity)
      .createQueryBuilder('e')
      .where("e.kind = 'SANDBOX' AND e.expires_at <= :now", { now: ctx.now() })
      .orderBy('e.expires_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit)
      .getMany();
    const deleted: DeletedSandbox[] = [];
    for (const environment of expired) {
      try {
        deleted.push(
          await this.remove(ctx.forEnvironment(ctx.environmentId, environment.organizationId), environment),
        );
      } catch (error) {
        ctx.log.error({ err: error, sandboxId: environment.id }, 'expired sandbox deletion failed');
      }
    }
    return deleted;
  }

  /**
   * Removes a sandbox and every row of it: each table with an `environment_id` column (read from the
   * database's own catalog, plus the entity metadata, so tables added later are covered without a change
   * here), children before parents, then the environment itself, in one transaction. The sandbox's keys are
   * revoked first so this process stops accepting them at once (others within the key cache's 5 s).
   * `ctx` carries the sandbox's organization.
   */
  private async remove(ctx: RequestContext, environment: EnvironmentEntity): Promise<DeletedSandbox> {
    const sandboxCtx = ctx.forEnvironment(environment.id);
    for (const key of await this.apiKeys.list(sandboxCtx)) await this.apiKeys.revoke(sandboxCtx, key.id);
    const tables = await this.environmentTables(ctx);
    return withTransaction(ctx, async (tx) => {
      let deletedRows = 0;
      for (const table of tables) {
        const result = (await tx.manager.query(`DELETE FROM \`${table}\` WHERE environment_id = ?`, [
          environment.id,
        ])) as {
          affectedRows?: number;
        };
        deletedRows += result?.affectedRows ?? 0;
      }
      await tx.manager.query('DELETE FROM environments WHERE id = ? AND organization_id = ?', [
        environment.id,
        tx.organizationId,
      ]);
      tx.log.info({ sandboxId: environment.id, deletedRows }, 'sandbox deleted');
      return { id: environment.id, name: environment.name, deletedRows };
    });
  }

  /**
   * Refuses a sandbox beyond the organization's quota. The organization row is locked first, so two
   * concurrent creations cannot both take the last place.
   */
  private async checkQuota(tx: RequestContext): Promise<void> {
    await tx.manager.query('SELECT id FROM organizations WHERE id = ? FOR UPDATE', [tx.organizationId]);
    const sandboxes = await tx
      .repo(EnvironmentEntity)
      .count({ where: { organizationId: tx.organizationId, kind: 'SANDBOX' } });
    if (sandboxes >= this.quota) {
      throw conflict(
        `Sandbox quota reached: the organization has ${sandboxes} sandboxes and may have ${this.quota} ` +
          '(SANDBOX_QUOTA); delete one first',
      );
    }
  }

  /** Every base table with an `environment_id` column, ordered so referencing tables come before referenced ones. */
  async environmentTables(ctx: RequestContext): Promise<string[]> {
    const columns = (await ctx.manager.query(
      `SELECT c.TABLE_NAME AS name FROM information_schema.COLUMNS c
         JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
        WHERE c.TABLE_SCHEMA = DATABASE() AND c.COLUMN_NAME = 'environment_id' AND t.TABLE_TYPE = 'BASE TABLE'`,
    )) as Array<{ name: string }>;
    const fromEntities = ctx.db.entityMetadatas
      .filter((m) => m.tableType === 'regular' && m.columns.some((c) => c.databaseName === 'environment_id'))
      .map((m) => m.tableName);
    const tables = new Set([...columns.map((c) => c.name), ...fromEntities]);
    tables.delete('environments');
    const refs = (await ctx.manager.query(
      `SELECT TABLE_NAME AS child, REFERENCED_TABLE_NAME AS parent FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`,
    )) as Array<{ child: string; parent: string }>;
    const ordered: string[] = [];
    const remaining = new Set([...tables].sort());
    while (remaining.size) {
      // A table may go once no remaining table references it.
      const ready = [...remaining].filter(
        (t) => !refs.some((r) => r.parent === t && r.child !== t && remaining.has(r.child)),
      );
      const next = ready.length ? ready : [...remaining];
      for (const t of next) {
        ordered.push(t);
        remaining.delete(t);
      }
    }
    return ordered;
  }

  /**
   * Copies the catalog with new ids, parents first, in batched multi-row INSERTs (a few statements for
   * 100 meters and 1,000 rate card entries). Ids keep the source's order (time part advanced per row), so
   * keyset pagination lists the copy like the original.
   */
  private async cloneCatalog(tx: RequestContext, from: string, to: string): Promise<CloneCounts> {
    let clock = tx.now().getTime();
    const idFor = (prefix: string) => newId(prefix, clock++);
    const read = <T extends ObjectLiteral>(entity: new () => T) =>
      tx.repo(entity).find({ where: { environmentId: from } as never, order: { id: 'ASC' } as never });
    const [meters, cards, entries, pricings, plans, planItems] = await Promise.all([
      read(MeterEntity),
      read(RateCardEntity),
      read(RateCardEntryEntity),
      read(PricingEntity),
      read(PlanEntity),
      read(PlanItemEntity),
    ]);
    const remap = <T extends { id: string; environmentId: string }>(rows: T[], prefix: string) => {
      const ids = new Map<string, string>();
      const copies = rows.map((row) => {
        const id = idFor(prefix);
        ids.set(row.id, id);
        return { ...row, id, environmentId: to };
      });
      return { ids, copies };
    };
    const mapped = (ids: Map<string, string>, id: string | null, what: string): string | null => {
      if (id === null) return null;
      const target = ids.get(id);
      if (!target)
        throw new AppError(
          ErrorCode.INTERNAL,
          `Catalog copy: ${what} ${id} is not in the source environment`,
        );
      return target;
    };
    const m = remap(meters, 'mtr');
    const c = remap(cards, 'rtc');
    const p = remap(pricings, 'prc');
    const pl = remap(plans, 'pln');
    await this.insertBatched(tx, MeterEntity, m.copies);
    await this.insertBatched(
      tx,
      RateCardEntity,
      c.copies.map((row) => ({ ...row, meterId: mapped(m.ids, row.meterId, 'meter')! })),
    );
    await this.insertBatched(
      tx,
      RateCardEntryEntity,
      entries.map((row) => ({
        ...row,
        id: idFor('rce'),
        environmentId: to,
        rateCardId: mapped(c.ids, row.rateCardId, 'rate card')!,
      })),
    );
    await this.insertBatched(
      tx,
      PricingEntity,
      p.copies.map((row) => ({
        ...row,
        meterId: mapped(m.ids, row.meterId, 'meter'),
        rateCardId: mapped(c.ids, row.rateCardId, 'rate card'),
      })),
    );
    await this.insertBatched(tx, PlanEntity, pl.copies);
    await this.insertBatched(
      tx,
      PlanItemEntity,
      planItems.map((row) => ({
        ...row,
        id: idFor('pli'),
        environmentId: to,
        planId: mapped(pl.ids, row.planId, 'plan')!,
        pricingId: mapped(p.ids, row.pricingId, 'pricing')!,
      })),
    );
    return {
      meters: meters.length,
      rateCards: cards.length,
      rateCardEntries: entries.length,
      pricings: pricings.length,
      plans: plans.length,
      planItems: planItems.length,
    };
  }

  private async insertBatched<T extends ObjectLiteral>(
    tx: RequestContext,
    entity: new () => T,
    rows: T[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      await tx.repo(entity).insert(rows.slice(i, i + BATCH) as never);
    }
  }

  /** Sandboxes are managed with a live environment's API key (a sandbox key never reaches another environment). */
  private async requireLiveKey(ctx: RequestContext): Promise<void> {
    if (ctx.caller.kind === 'PORTAL') throw forbidden('This operation needs an API key');
    const own = await ctx.repo(EnvironmentEntity).findOne({ where: { id: ctx.environmentId } });
    if (!own || own.kind !== 'LIVE') throw forbidden('Sandboxes are managed with a live environment API key');
  }

  private async findEnvironment(
    ctx: RequestContext,
    idOrName: string,
    field: string,
  ): Promise<EnvironmentEntity> {
    const environment = await ctx.repo(EnvironmentEntity).findOne({
      where: [
        { id: idOrName, organizationId: ctx.organizationId },
        { name: idOrName, organizationId: ctx.organizationId },
      ],
    });
    if (!environment) throw notFound('Environment', idOrName, field);
    return environment;
  }
}
