import { Column, Entity, PrimaryColumn } from 'typeorm';
import { amountColumn, quantityColumn, rateColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn, timestampColumn } from './columns';

export type PricingKind = 'USAGE' | 'FLAT_FEE';
/** TOTAL: tiers over the item's total quantity (one line); PER_GROUP: each dimension combination its own. */
export type TierScope = 'TOTAL' | 'PER_GROUP';
export type PricingModel = 'PER_UNIT' | 'GRADUATED' | 'VOLUME' | 'PACKAGE' | 'TIERED_PACKAGE' | 'PERCENTAGE';

/** A tier as stored: `upTo` null is the last, open-ended tier. Decimals as fixed-point strings. */
export interface StoredTier {
  upTo: string | null;
  unitAmount: string;
  flatAmount: string;
  /** TIERED_PACKAGE tiers: the package size of the tier. */
  packageSize?: string | null;
}

/**
 * Either a usage pricing on a meter (model, unit size, fallback rate, optional rate card, tiers)
 * or a flat fee charged per billing period (`flatAmount`).
 */
@Entity('pricings')
export class PricingEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: PricingKind;
  @Column({ ...idColumn, name: 'meter_id', nullable: true }) meterId!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) model!: PricingModel | null;
  @Column({ ...quantityColumn, name: 'unit_size' }) unitSize!: Decimal;
  @Column({ ...rateColumn, name: 'fallback_rate', nullable: true }) fallbackRate!: Decimal | null;
  @Column({ ...idColumn, name: 'rate_card_id', nullable: true }) rateCardId!: string | null;
  @Column({ type: 'json', nullable: true }) tiers!: StoredTier[] | null;
  @Column({ ...amountColumn, name: 'flat_amount', nullable: true }) flatAmount!: Decimal | null;
  /** GRADUATED only: a period with zero usage bills the first tier's flat amount (else nothing). */
  @Column({ type: 'boolean', name: 'bill_first_tier_flat_at_zero_usage', default: false })
  billFirstTierFlatAtZeroUsage!: boolean;
  /** Per-period spending minimum of each invoice line of this pricing (prorated like flat fees); null = none. */
  @Column({ ...amountColumn, name: 'minimum_amount', nullable: true }) minimumAmount!: Decimal | null;
  /** Per-period cap of each invoice line of this pricing (prorated like flat fees); null = none. */
  @Column({ ...amountColumn, name: 'maximum_amount', nullable: true }) maximumAmount!: Decimal | null;
  /** Usage pricings: units free in each billing period before the model prices the rest (0 = none). */
  @Column({ ...quantityColumn, name: 'free_units', default: 0 }) freeUnits!: Decimal;
  /** PERCENTAGE only: the percentage of the summed amount (2.9 = 2.9 %); null when tiers grade it. */
  @Column({ ...rateColumn, nullable: true }) percent!: Decimal | null;
  /** PERCENTAGE only: a fixed fee per transaction (event); null for none. */
  @Column({ ...rateColumn, name: 'fee_per_transaction', nullable: true }) feePerTransaction!: Decimal | null;
  /** Models other than PER_UNIT: price the total (one line) or each dimension combination (one per group). */
  @Column({ type: 'varchar', length: 16, name: 'tier_scope', default: 'TOTAL' }) tierScope!: TierScope;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
