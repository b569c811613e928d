import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, timestampColumn } from './columns';

export type ProductMappingTargetKind = 'PLAN' | 'USAGE_PRICING' | 'PREPAID_CREDITS' | 'FLAT_FEE';
export type CreditGrantBasisValue = 'SALE_PRICE' | 'LIST_PRICE' | 'QUANTITY';

/** How a CRM ProductCode maps onto the catalog when a deal becomes a contract draft. */
@Entity('product_mappings')
export class ProductMappingEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...exactText, type: 'varchar', length: 255, name: 'product_code' }) productCode!: string;
  @Column({ type: 'varchar', length: 24, name: 'target_kind' }) targetKind!: ProductMappingTargetKind;
  @Column({ ...idColumn, name: 'target_id', nullable: true }) targetId!: string | null;
  @Column({ type: 'json', nullable: true }) dimensions!: Record<string, string> | null;
  @Column({ type: 'varchar', length: 16, name: 'credit_grant_basis', nullable: true })
  creditGrantBasis!: CreditGrantBasisValue | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
