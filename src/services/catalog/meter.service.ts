import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { DIMENSION_KEY_PATTERN } from '../../domain/dimensions';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { MeterEntity, type Aggregation } from '../../entities/meter.entity';
import { isDuplicateKeyError, requiredText } from '../common';
import { pageById, type Page, type PageArgs } from '../common';

export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'COUNT', 'MAX', 'UNIQUE_COUNT', 'LATEST'];
/** Meter codes are referenced by pricing and usage APIs: letters, digits, `_`, `-`, `.`; e.g. `AI_CALL`. */
export const METER_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
/** Event names and property paths are matched exactly against ingested events: no spaces. */
const EVENT_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,199}$/;
export const MAX_GROUP_KEYS = 16;

export interface CreateMeterInput {
  code: string;
  displayName: string;
  eventName: string;
  aggregation: Aggregation;
  /** The event property aggregated; required except for COUNT, which counts events. */
  aggregationKey?: string | null;
  groupKeys?: readonly string[] | null;
  /**
   * SUM only: accept negative event values (corrections that lower a total). Off by default, when a
   * negative value is rejected at ingestion (NEGATIVE_VALUE).
   */
  allowNegative?: boolean | null;
}

/** What may change on a meter: nothing that changes how its stored usage was aggregated. */
export interface UpdateMeterInput {
  /** SUM only: from now on, accept (true) or reject (false) negative event values. */
  allowNegative?: boolean | null;
}

export class MeterService {
  async create(ctx: RequestContext, input: CreateMeterInput): Promise<MeterEntity> {
    const code = requiredText(input.code, 'input.code', 100);
    if (!METER_CODE_PATTERN.test(code)) {
      throw badInput('input.code', 'may contain only letters, digits, "_", "-" and "." (e.g. AI_CALL)');
    }
    const displayName = requiredText(input.displayName, 'input.displayName', 200);
    const eventName = requiredText(input.eventName, 'input.eventName', 200);
    if (!EVENT_NAME_PATTERN.test(eventName)) {
      throw badInput('input.eventName', 'may contain only letters, digits and "_ . : / -" (no spaces)');
    }
    if (!AGGREGATIONS.includes(input.aggregation)) {
      throw badInput('input.aggregation', `must be one of ${AGGREGATIONS.join(', ')}`);
    }
    const aggregationKey = this.checkAggregationKey(input.aggregation, input.aggregationKey);
    const groupKeys = this.checkGroupKeys(input.groupKeys ?? []);
    const allowNegative = input.allowNegative ?? false;
    if (allowNegative && input.aggregation !== 'SUM') {
      throw badInput('input.allowNegative', 'is only for SUM meters');
    }

    return withTransaction(ctx, async (tx) => {
      const repo = tx.repo(MeterEntity);
      if (await repo.exists({ where: { environmentId: tx.environmentId, code } })) {
        throw conflict(`A meter with code ${code} already exists`, 'input.code');
      }
      const meter = repo.create({
        id: newId('mtr'),
        environmentId: tx.environmentId,
        code,
        displayName,
        eventName,
        aggregation: input.aggregation,
        aggregationKey,
        groupKeys,
        allowNegative,
        createdAt: tx.now(),
      });
      try {
        await repo.insert(meter);
      } catch (error) {
        // A concurrent request created the same code between our check and our insert.
        if (isDuplicateKeyError(error, 'uq_meters_code')) {
          throw conflict(`A meter with code ${code} already exists`, 'input.code');
        }
        throw error;
      }
      return meter;
    });
  }

  /**
   * Declares a SUM meter signed or unsigned. It applies to events ingested from the commit on; usage
   * already aggregated stays as it is (turning it off does not remove earlier negative values).
   */
  async update(ctx: RequestContext, id: string, input: UpdateMeterInput): Promise<MeterEntity> {
    return withTransaction(ctx, async (tx) => {
      const repo = tx.repo(MeterEntity);
      const meter = await repo.findOne({
        where: { id, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!meter) throw notFound('Meter', id, 'id');
      if (input.allowNegative !== undefined && input.allowNegative !== null) {
        if (input.allowNegative && meter.aggregation !== 'SUM') {
          throw badInput('input.allowNegative', 'is only for SUM meters');
        }
        meter.allowNegative = input.allowNegative;
      }
      await repo.update({ id: meter.id }, { allowNegative: meter.allowNegative });
      return meter;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<MeterEntity | null> {
    return ctx.repo(MeterEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<MeterEntity> {
    const meter = await this.findById(ctx, id);
    if (!meter) throw notFound('Meter', id);
    return meter;
  }

  async findByCode(ctx: RequestContext, code: string): Promise<MeterEntity | null> {
    return ctx.repo(MeterEntity).findOne({ where: { code, environmentId: ctx.environmentId } });
  }

  /** `field` names the input that carried the code, so a wrong reference points at it. */
  async getByCodeOrThrow(ctx: RequestContext, code: string, field?: string): Promise<MeterEntity> {
    const meter = await this.findByCode(ctx, code);
    if (!meter) throw notFound('Meter', code, field);
    return meter;
  }

  async list(ctx: RequestContext, page: PageArgs): Promise<Page<MeterEntity>> {
    const qb = ctx
      .repo(MeterEntity)
      .createQueryBuilder('m')
      .where('m.environment_id = :env', { env: ctx.environmentId });
    return pageById(qb, page);
  }

  private checkAggregationKey(aggregation: Aggregation, raw: string | null | undefined): string | null {
    const key = (raw ?? '').trim();
    if (aggregation === 'COUNT') {
      if (key) throw badInput('input.aggregationKey', 'must be empty for COUNT, which counts events');
      return null;
    }
    if (!key) throw badInput('input.aggregationKey', `is required for ${aggregation}`);
    if (!EVENT_NAME_PATTERN.test(key)) {
      throw badInput('input.aggregationKey', 'must be an event property name (letters, digits, "_ . -")');
    }
    return key;
  }

  private checkGroupKeys(keys: readonly string[]): string[] {
    if (keys.length > MAX_GROUP_KEYS) {
      throw badInput('input.groupKeys', `must have at most ${MAX_GROUP_KEYS} keys`);
    }
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (!DIMENSION_KEY_PATTERN.test(key)) {
        throw badInput(
          `input.groupKeys.${i}`,
          'must start with a letter or "_" and contain only letters, digits, "_", "." and "-" (at most 64)',
        );
      }
      if (seen.has(key)) throw badInput(`input.groupKeys.${i}`, `"${key}" is listed twice`);
      seen.add(key);
    });
    return [...keys];
  }
}
