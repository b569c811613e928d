import { Column, Entity, PrimaryColumn } from 'typeorm';
import { quantityColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { idColumn } from './columns';

/** A pricing bundled into a plan; `quantity` multiplies flat fees (seats). */
@Entity('plan_items')
export class PlanItemEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'plan_id' }) planId!: string;
  @Column({ ...idColumn, name: 'pricing_id' }) pricingId!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ ...quantityColumn }) quantity!: Decimal;
}
