import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

/** Who a customer talks to: its account manager and support contact (in-app account screens). */
@Entity('account_contacts')
export class AccountContactsEntity {
  @PrimaryColumn({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @PrimaryColumn({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'varchar', length: 200, name: 'account_manager_name', nullable: true })
  accountManagerName!: string | null;
  @Column({ type: 'varchar', length: 320, name: 'account_manager_email', nullable: true })
  accountManagerEmail!: string | null;
  @Column({ type: 'varchar', length: 40, name: 'account_manager_phone', nullable: true })
  accountManagerPhone!: string | null;
  @Column({ type: 'varchar', length: 200, name: 'support_name', nullable: true }) supportName!: string | null;
  @Column({ type: 'varchar', length: 320, name: 'support_email', nullable: true }) supportEmail!:
    string | null;
  @Column({ type: 'varchar', length: 40, name: 'support_phone', nullable: true }) supportPhone!:
    string | null;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
