import { Column, Entity, PrimaryColumn } from 'typeorm';
import { amountColumn, moneyColumn, quantityColumn, rateColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, timestampColumn } from './columns';

/**
 * ONE_TIME: a contract's one-time charge, billed in full on the period holding its charge date.
 * MINIMUM_TRUE_UP: the shortfall of a contract's minimum commitment, on the invoice that closes its window.
 */
export type InvoiceLineKind = 'USAGE' | 'FLAT_FEE' | 'ONE_TIME' | 'COMMITMENT' | 'MINIMUM_TRUE_UP';
/** Which of its pricing's per-period bounds changed a line's amount. */
export type LineBound = 'MINIMUM' | 'MAXIMUM';
export type RateSource = 'OVERRIDE' | 'RATE_CARD' | 'FALLBACK';

/** A frozen line of a finalized invoice (draft lines are computed, never stored). */
@Entity('invoice_lines')
export class InvoiceLineEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'invoice_id' }) invoiceId!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'varchar', length: 16 }) kind!: InvoiceLineKind;
  @Column({ ...idColumn, name: 'pricing_id', nullable: true }) pricingId!: string | null;
  @Column({ ...exactText, type: 'varchar', length: 100, name: 'meter_code', nullable: true }) meterCode!:
    string | null;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ type: 'json', nullable: true }) dimensions!: Record<string, string> | null;
  @Column({ ...quantityColumn }) quantity!: Decimal;
  @Column({ ...rateColumn, nullable: true }) rate!: Decimal | null;
  @Column({ ...quantityColumn, name: 'unit_size', nullable: true }) unitSize!: Decimal | null;
  @Column({ type: 'varchar', length: 16, name: 'rate_source', nullable: true })
  rateSource!: RateSource | null;
  @Column({ ...amountColumn, name: 'precise_amount' }) preciseAmount!: Decimal;
  @Column({ ...moneyColumn }) amount!: Decimal;
  @Column({ ...moneyColumn, name: 'credits_applied' }) creditsApplied!: Decimal;
  @Column({ type: 'varchar', length: 8, nullable: true }) bound!: LineBound | null;
  /** The rounded amount before `bound` applied; null when no bound changed the line. */
  @Column({ ...moneyColumn, name: 'unbounded_amount', nullable: true }) unboundedAmount!: Decimal | null;
  @Column({ ...timestampColumn, name: 'service_from' }) serviceFrom!: Date;
  @Column({ ...timestampColumn, name: 'service_to' }) serviceTo!: Date;
}
