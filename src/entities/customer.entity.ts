import { Column, Entity, PrimaryColumn } from 'typeorm';
import { exactText, idColumn, timestampColumn } from './columns';

@Entity('customers')
export class CustomerEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** The id the customer's own systems use; events may address the customer by it. */
  @Column({ ...exactText, type: 'varchar', length: 200, name: 'external_id', nullable: true }) externalId!:
    string | null;
  @Column({ type: 'varchar', length: 320, nullable: true }) email!: string | null;
  @Column({ type: 'varchar', length: 18, name: 'salesforce_account_id', nullable: true })
  salesforceAccountId!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
