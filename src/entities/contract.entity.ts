import { Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalTransformer, moneyColumn } from '../db/decimal.transformer';
import type { CommitmentScope } from '../domain/minimum-commitment';
import type { Decimal } from '../domain/money';
import { idColumn, nullableTimestampColumn, timestampColumn } from './columns';
import type { BillingCycle } from './plan.entity';

export type ContractStatus = 'ACTIVE' | 'CANCELLED' | 'ENDED';
export type ContractSource = 'API' | 'SELF_SERVE' | 'SALESFORCE_DRAFT';
/** Anniversary periods (from the start) or calendar-aligned periods with a prorated first stub. */
export type BillingAlignment = 'ANNIVERSARY' | 'CALENDAR';

/**
 * A customer's subscription to a plan, customized per contract. What it charges over time lives in
 * `contract_items` (effective-dated, so plan changes and seat changes are new items, not edits).
 * Dates are UTC days at 00:00Z. `endDate` is the INCLUSIVE last day covered (as contracts and CRMs write it:
 * "Nov 1, 2024 – Oct 31, 2026"), null = evergreen; `contractEndExclusive()` (domain/periods) gives the first
 * instant no longer covered. `status` is ACTIVE until cancelled; ENDED is derived from `endDate` and the clock.
 */
@Entity('contracts')
export class ContractEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  /** The current plan (the latest phase); items carry the history. */
  @Column({ ...idColumn, name: 'plan_id' }) planId!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'varchar', length: 16 }) status!: ContractStatus;
  @Column({ ...timestampColumn, name: 'start_date' }) startDate!: Date;
  @Column({ ...nullableTimestampColumn, name: 'end_date' }) endDate!: Date | null;
  @Column({ type: 'varchar', length: 16, name: 'billing_cycle' }) billingCycle!: BillingCycle;
  /** Periods follow the cycle from this instant (the start date, or the boundary where the cycle last changed). */
  @Column({ ...timestampColumn, name: 'billing_anchor' }) billingAnchor!: Date;
  /** ANNIVERSARY: periods count from the anchor; CALENDAR: they follow the calendar, with a first stub. */
  @Column({ type: 'varchar', length: 16, name: 'billing_alignment', default: 'ANNIVERSARY' })
  billingAlignment!: BillingAlignment;
  @Column({ type: 'int', name: 'payment_terms_days' }) paymentTermsDays!: number;
  @Column({ type: 'boolean', name: 'auto_pay' }) autoPay!: boolean;
  @Column({ type: 'boolean', name: 'auto_renew', default: false }) autoRenew!: boolean;
  /** Days before the end by which auto-renew must be turned off for the contract to end; null = no notice. */
  @Column({ type: 'smallint', unsigned: true, name: 'renewal_notice_days', nullable: true })
  renewalNoticeDays!: number | null;
  /** Fixed dimension values for this customer, e.g. `{"customer_tier": "enterprise"}`. */
  @Column({ type: 'json' }) dimensions!: Record<string, string>;
  @Column({ type: 'varchar', length: 24 }) source!: ContractSource;
  /** Minimum spend per `minimumCommitmentScope`; null = no minimum (see domain/minimum-commitment.ts). */
  @Column({ ...moneyColumn, name: 'minimum_commitment_amount', nullable: true })
  minimumCommitmentAmount!: Decimal | null;
  @Column({ type: 'varchar', length: 16, name: 'minimum_commitment_scope', nullable: true })
  minimumCommitmentScope!: CommitmentScope | null;
  /** The pricings whose lines count towards the minimum; null = every usage and fee line. */
  @Column({ type: 'json', name: 'minimum_commitment_pricing_ids', nullable: true })
  minimumCommitmentPricingIds!: string[] | null;
  /** Whether spend paid by credits counts towards the minimum (default: only what the customer pays). */
  @Column({ type: 'boolean', name: 'minimum_commitment_credits_count', default: false })
  minimumCommitmentCreditsCount!: boolean;
  /** At renewal, the fraction (0–1) of unused prepaid credits rolled into the new term; null = none. */
  @Column({
    type: 'decimal',
    precision: 5,
    scale: 4,
    name: 'rollover_fraction',
    nullable: true,
    transformer: decimalTransformer,
  })
  rolloverFraction!: Decimal | null;
  /** At renewal, the most (in the contract's currency) rolled into the new term; null = no cap. */
  @Column({ ...moneyColumn, name: 'rollover_cap', nullable: true }) rolloverCap!: Decimal | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
