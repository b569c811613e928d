import type { ProductMappingRule } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import {
  ProductMappingEntity,
  type CreditGrantBasisValue,
  type ProductMappingTargetKind,
} from '../../entities/product-mapping.entity';

export interface SetProductMappingInput {
  productCode: string;
  targetKind: ProductMappingTargetKind;
  targetId?: string | null;
  dimensions?: Record<string, string> | null;
  creditGrantBasis?: CreditGrantBasisValue | null;
}

const KINDS: ProductMappingTargetKind[] = ['PLAN', 'USAGE_PRICING', 'PREPAID_CREDITS', 'FLAT_FEE'];
const BASES: CreditGrantBasisValue[] = ['SALE_PRICE', 'LIST_PRICE', 'QUANTITY'];

/** ProductCode → catalog item, used when extracting deals into contract drafts. */
export class ProductMappingService {
  async set(ctx: RequestContext, input: SetProductMappingInput): Promise<ProductMappingEntity> {
    const productCode = input.productCode?.trim() ?? '';
    if (!productCode || productCode.length > 255)
      throw badInput('input.productCode', 'must be 1 to 255 characters');
    if (!KINDS.includes(input.targetKind))
      throw badInput('input.targetKind', `must be one of ${KINDS.join(', ')}`);
    const targetId = input.targetId ?? null;
    const dimensions = input.dimensions ?? null;
    const basis = input.creditGrantBasis ?? null;
    if (basis && (input.targetKind !== 'PREPAID_CREDITS' || !BASES.includes(basis))) {
      throw badInput(
        'input.creditGrantBasis',
        'applies to PREPAID_CREDITS only: SALE_PRICE, LIST_PRICE or QUANTITY',
      );
    }
    if (dimensions && input.targetKind !== 'USAGE_PRICING') {
      throw badInput('input.dimensions', 'applies to USAGE_PRICING only');
    }
    await this.checkTarget(ctx, input.targetKind, targetId, dimensions);
    return withTransaction(ctx, async (tx) => {
      const repo = tx.repo(ProductMappingEntity);
      const existing = await repo.findOne({
        where: { environmentId: tx.environmentId, productCode },
        lock: { mode: 'pessimistic_write' },
      });
      const now = tx.now();
      const row =
        existing ??
        repo.create({
          id: newId('pmap', now.getTime()),
          environmentId: tx.environmentId,
          productCode,
          createdAt: now,
        });
      Object.assign(row, {
        targetKind: input.targetKind,
        targetId,
        dimensions,
        creditGrantBasis: input.targetKind === 'PREPAID_CREDITS' ? (basis ?? 'SALE_PRICE') : null,
        updatedAt: now,
      });
      await repo.save(row);
      return row;
    });
  }

  async delete(ctx: RequestContext, productCode: string): Promise<boolean> {
    const result = await ctx
      .repo(ProductMappingEntity)
      .delete({ environmentId: ctx.environmentId, productCode });
    if (!result.affected) throw notFound('Product mapping', productCode);
    return true;
  }

  async list(ctx: RequestContext): Promise<ProductMappingEntity[]> {
    return ctx
      .repo(ProductMappingEntity)
      .find({ where: { environmentId: ctx.environmentId }, order: { productCode: 'ASC' } });
  }

  /** The mappings as the (pure) mapper wants them. */
  async rules(ctx: RequestContext): Promise<Map<string, ProductMappingRule>> {
    const rows = await this.list(ctx);
    return new Map(
      rows.map((row) => [
        row.productCode,
        {
          productCode: row.productCode,
          targetKind: row.targetKind,
          targetId: row.targetId,
          dimensions: row.dimensions,
          creditGrantBasis: row.creditGrantBasis,
        },
      ]),
    );
  }

  private async checkTarget(
    ctx: RequestContext,
    kind: ProductMappingTargetKind,
    targetId: string | null,
    dimensions: Record<string, string> | null,
  ): Promise<void> {
    const env = ctx.environmentId;
    if (kind === 'PLAN') {
      if (!targetId) throw badInput('input.targetId', 'a PLAN mapping needs the plan id');
      if (!(await ctx.repo(PlanEntity).exists({ where: { id: targetId, environmentId: env } })))
        throw badInput('input.targetId', `plan ${targetId} not found`);
      return;
    }
    if (kind === 'USAGE_PRICING' || (kind === 'FLAT_FEE' && targetId)) {
      if (!targetId) throw badInput('input.targetId', 'a USAGE_PRICING mapping needs the pricing id');
      const pricing = await ctx.repo(PricingEntity).findOne({ where: { id: targetId, environmentId: env } });
      const wanted = kind === 'USAGE_PRICING' ? 'USAGE' : 'FLAT_FEE';
      if (!pricing || pricing.kind !== wanted)
        throw badInput(
          'input.targetId',
          `${wanted === 'USAGE' ? 'usage pricing' : 'flat fee'} ${targetId} not found`,
        );
      if (dimensions && pricing.meterId) {
        const meter = await ctx
          .repo(MeterEntity)
          .findOne({ where: { id: pricing.meterId, environmentId: env } });
        const unknown = Object.keys(dimensions).find((key) => !meter?.groupKeys.includes(key));
        if (unknown)
          throw badInput('input.dimensions', `"${unknown}" is not a dimension of meter ${meter?.code}`);
        if (Object.values(dimensions).some((v) => typeof v !== 'string'))
          throw badInput('input.dimensions', 'dimension values must be strings');
      }
      return;
    }
    if (kind === 'PREPAID_CREDITS' && targetId) {
      throw badInput('input.targetId', 'PREPAID_CREDITS mappings have no target id');
    }
  }
}
