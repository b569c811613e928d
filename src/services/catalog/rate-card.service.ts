import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  canonicalDimensionKey,
  checkDimensions,
  describeEntry,
  findEntryClash,
  type Dimensions,
} from '../../domain/dimensions';
import { badInput, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { Decimal } from '../../domain/money';
import type { MeterEntity } from '../../entities/meter.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';
import { RateCardEntity } from '../../entities/rate-card.entity';
import { checkDecimal, RATE_RULE, requiredText } from '../common';
import type { MeterService } from './meter.service';
import { liveTopics, publishAfterCommit } from '../common';
import { pageById, type Page, type PageArgs } from '../common';
import type { PubSub } from '../common';

/**
 * An entry without `effectiveFrom` is effective from the Unix epoch, i.e. "always": usage that arrives
 * late or is backfilled with timestamps before the card was created is still priced by the card instead
 * of silently falling back. Versioning is explicit: give `effectiveFrom`/`effectiveTo` to schedule rates.
 */
export const DEFAULT_EFFECTIVE_FROM = new Date(0);
export const MAX_ENTRIES_PER_REQUEST = 1000;

export interface RateCardEntryInput {
  /** Group-key values; `{}` is the catch-all. Unknown shape: checked here. */
  dimensions: unknown;
  rate: Decimal;
  effectiveFrom?: Date | null;
  effectiveTo?: Date | null;
}

export interface CreateRateCardInput {
  meterCode: string;
  name: string;
  entries: readonly RateCardEntryInput[];
}

export interface AddRateCardEntriesInput {
  rateCardId: string;
  entries: readonly RateCardEntryInput[];
}

/** A checked entry with the input path that produced it (or the stored row it is), for error messages. */
interface CandidateEntry {
  dimensions: Dimensions;
  effectiveFrom: Date;
  effectiveTo: Date | null;
  rate: Decimal;
  /** `input.entries.2` for new entries; null for entries already stored. */
  path: string | null;
  label: string;
}

export class RateCardService {
  constructor(
    private readonly meters: MeterService,
    /** Live updates: a rate card change may re-price every customer of the environment. */
    private readonly pubsub: PubSub,
  ) {}

  async create(ctx: RequestContext, input: CreateRateCardInput): Promise<RateCardEntity> {
    const name = requiredText(input.name, 'input.name', 200);
    return withTransaction(ctx, async (tx) => {
      const meter = await this.meters.getByCodeOrThrow(tx, input.meterCode, 'input.meterCode');
      const entries = this.checkEntries(meter, input.entries, 'input.entries');
      this.rejectClashes(entries);
      const card = tx.repo(RateCardEntity).create({
        id: newId('rc'),
        environmentId: tx.environmentId,
        meterId: meter.id,
        name,
        createdAt: tx.now(),
      });
      await tx.repo(RateCardEntity).insert(card);
      await this.insertEntries(tx, card, entries, 0);
      publishAfterCommit(tx, this.pubsub, liveTopics.catalog(tx.environmentId), { rateCardId: card.id });
      return card;
    });
  }

  /** Adds entries to a card; they must not clash with each other or with the entries already there. */
  async addEntries(ctx: RequestContext, input: AddRateCardEntriesInput): Promise<RateCardEntity> {
    return withTransaction(ctx, async (tx) => {
      // Locking the card serialises concurrent additions, so two requests cannot each add half of a clash.
      const card = await tx.repo(RateCardEntity).findOne({
        where: { id: input.rateCardId, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!card) throw notFound('Rate card', input.rateCardId);
      const meter = await this.meters.getByIdOrThrow(tx, card.meterId);
      const additions = this.checkEntries(meter, input.entries, 'entries');
      if (!additions.length) throw badInput('entries', 'must contain at least one entry');
      const stored = await this.listEntries(tx, card.id);
      const existing: CandidateEntry[] = stored.map((row) => ({
        dimensions: row.dimensions,
        effectiveFrom: row.effectiveFrom,
        effectiveTo: row.effectiveTo,
        rate: row.rate,
        path: null,
        label: `existing entry ${row.id}`,
      }));
      this.rejectClashes([...existing, ...additions]);
      const nextPosition = stored.reduce((max, row) => Math.max(max, row.position + 1), 0);
      await this.insertEntries(tx, card, additions, nextPosition);
      publishAfterCommit(tx, this.pubsub, liveTopics.catalog(tx.environmentId), { rateCardId: card.id });
      return card;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<RateCardEntity | null> {
    return ctx.repo(RateCardEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<RateCardEntity> {
    const card = await this.findById(ctx, id);
    if (!card) throw notFound('Rate card', id);
    return card;
  }

  async listByMeterCode(
    ctx: RequestContext,
    meterCode: string,
    page: PageArgs,
  ): Promise<Page<RateCardEntity>> {
    const meter = await this.meters.getByCodeOrThrow(ctx, meterCode, 'meterCode');
    const qb = ctx
      .repo(RateCardEntity)
      .createQueryBuilder('rc')
      .where('rc.environment_id = :env AND rc.meter_id = :meterId', {
        env: ctx.environmentId,
        meterId: meter.id,
      });
    return pageById(qb, page);
  }

  async listEntries(ctx: RequestContext, rateCardId: string): Promise<RateCardEntryEntity[]> {
    return ctx.repo(RateCardEntryEntity).find({
      where: { rateCardId, environmentId: ctx.environmentId },
      order: { position: 'ASC' },
    });
  }

  private checkEntries(
    meter: MeterEntity,
    entries: readonly RateCardEntryInput[],
    path: string,
  ): CandidateEntry[] {
    if (entries.length > MAX_ENTRIES_PER_REQUEST) {
      throw badInput(path, `must have at most ${MAX_ENTRIES_PER_REQUEST} entries per request`);
    }
    return entries.map((entry, i) => {
      const at = `${path}.${i}`;
      const checked = checkDimensions(entry.dimensions, meter.groupKeys);
      if (!checked.ok) throw badInput(`${at}.dimensions`, checked.message);
      const rate = checkDecimal(entry.rate, `${at}.rate`, RATE_RULE);
      const effectiveFrom = entry.effectiveFrom ?? DEFAULT_EFFECTIVE_FROM;
      const effectiveTo = entry.effectiveTo ?? null;
      if (effectiveTo && effectiveTo.getTime() <= effectiveFrom.getTime()) {
        throw badInput(`${at}.effectiveTo`, 'must be after effectiveFrom');
      }
      const candidate = { dimensions: checked.dimensions, effectiveFrom, effectiveTo, rate };
      return { ...candidate, path: at, label: `${at} ${describeEntry(candidate)}` };
    });
  }

  /** Rejects duplicates and ambiguous pairs, naming both entries and pointing at the new one. */
  private rejectClashes(entries: CandidateEntry[]): void {
    const clash = findEntryClash(entries);
    if (!clash) return;
    const field = `${clash.second.path ?? clash.first.path ?? 'entries'}.dimensions`;
    const other =
      clash.first.path === null ? `${clash.first.label} ${describeEntry(clash.first)}` : clash.first.label;
    if (clash.kind === 'DUPLICATE') {
      throw badInput(
        field,
        `${clash.second.label} has the same dimensions as ${other} and their effective dates overlap`,
      );
    }
    throw badInput(
      field,
      `${clash.second.label} and ${other} are ambiguous: both could match the same usage at the same time ` +
        'with the same specificity; add an entry for their combined dimensions or make their dates not overlap',
    );
  }

  private async insertEntries(
    tx: RequestContext,
    card: RateCardEntity,
    entries: CandidateEntry[],
    firstPosition: number,
  ): Promise<void> {
    if (!entries.length) return;
    const now = tx.now();
    const rows = entries.map((entry, i) =>
      tx.repo(RateCardEntryEntity).create({
        id: newId('rce'),
        environmentId: tx.environmentId,
        rateCardId: card.id,
        position: firstPosition + i,
        dimensions: { ...entry.dimensions },
        dimensionKey: canonicalDimensionKey(entry.dimensions),
        rate: entry.rate,
        effectiveFrom: entry.effectiveFrom,
        effectiveTo: entry.effectiveTo,
        createdAt: now,
      }),
    );
    // One multi-row INSERT per request keeps a 1,000-entry card to a single statement.
    await tx.repo(RateCardEntryEntity).insert(rows);
  }
}
