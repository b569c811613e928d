import { Column, Entity, PrimaryColumn } from 'typeorm';
import { rateColumn } from '../db/decimal.transformer';
import type { Decimal } from '../domain/money';
import { exactText, idColumn, nullableTimestampColumn, timestampColumn } from './columns';

/** One rate for one dimension combination over an effective-date range; `{}` is the card's catch-all. */
@Entity('rate_card_entries')
export class RateCardEntryEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'rate_card_id' }) rateCardId!: string;
  /** Order of the entry in its card, as the user listed them (ids alone do not keep it within a millisecond). */
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'json' }) dimensions!: Record<string, string>;
  /** Canonical `key=value` string of `dimensions` (sorted keys), for exact matching and uniqueness checks. */
  @Column({ ...exactText, type: 'varchar', length: 500, name: 'dimension_key' }) dimensionKey!: string;
  @Column({ ...rateColumn }) rate!: Decimal;
  @Column({ ...timestampColumn, name: 'effective_from' }) effectiveFrom!: Date;
  @Column({ ...nullableTimestampColumn, name: 'effective_to' }) effectiveTo!: Date | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
}
