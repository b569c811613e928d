import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn } from './columns';

/** A slice (≤ 4 MB) of an uploaded document's bytes, in order of `seq`. */
@Entity('contract_document_parts')
export class ContractDocumentPartEntity {
  @PrimaryColumn({ ...idColumn, name: 'document_id' }) documentId!: string;
  @PrimaryColumn({ type: 'int' }) seq!: number;
  @Column({ type: 'longblob' }) bytes!: Buffer;
}
