import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from './columns';

/** OPEN until a won deal for it is confirmed (CONFIRMED), or its Opportunity is lost or deleted (CLOSED_LOST). */
export type ExpansionRequestStatus = 'OPEN' | 'CONFIRMED' | 'CLOSED_LOST';

/**
 * A self-serve customer asked to talk to sales about a contract. Pushed to Salesforce as an Opportunity
 * upserted by this id; the Opportunity's Id, learned from that push, ties the won deal back to the contract.
 */
@Entity('expansion_requests')
export class ExpansionRequestEntity {
  @PrimaryColumn(idColumn) id!: string;
  @Column({ ...idColumn, name: 'environment_id' }) environmentId!: string;
  @Column({ ...idColumn, name: 'contract_id' }) contractId!: string;
  @Column({ ...idColumn, name: 'customer_id' }) customerId!: string;
  @Column({ type: 'varchar', length: 2000, nullable: true }) note!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: ExpansionRequestStatus;
  @Column({ type: 'varchar', length: 18, name: 'opportunity_id', nullable: true }) opportunityId!:
    string | null;
  /** The negotiated contract that replaced the self-serve one. */
  @Column({ ...idColumn, name: 'new_contract_id', nullable: true }) newContractId!: string | null;
  @Column({ ...timestampColumn, name: 'created_at' }) createdAt!: Date;
  @Column({ ...timestampColumn, name: 'updated_at' }) updatedAt!: Date;
}
