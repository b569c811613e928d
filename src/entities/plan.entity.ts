import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

export type BillingCycle = 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' | 'SEMIANNUAL' | 'ANNUAL';

@Entity('plans')
export class PlanEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) description!: string | null;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'int', name: 'net_terms_days' }) netTermsDays!: number;
  @Column({ type: 'boolean', name: 'auto_pay' }) autoPay!: boolean;
  @Column({ type: 'varchar', length: 16, name: 'billing_cycle' }) billingCycle!: BillingCycle;
  /** Public plans are listed in the self-serve product catalog. */
  @Column({ type: 'boolean', name: 'is_public', default: false }) isPublic!: boolean;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
