import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ContractDocumentStatusEnum {
  PROCESSING = 'PROCESSING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(ContractDocumentStatusEnum, {
  name: 'ContractDocumentStatus',
  description: 'PROCESSING: waiting to be read or being read; FAILED: see `error`.',
});

@ObjectType('EvidenceBox', { description: 'A box on the page, in PDF points from the top-left corner.' })
export class EvidenceBox {
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
  @Field(() => Float) w!: number;
  @Field(() => Float) h!: number;
}

@ObjectType('ExtractionEvidence', { description: 'Where an extracted value was read in the document.' })
export class ExtractionEvidence {
  @Field({ description: 'The draft field, e.g. `contractStart`, `rates.0`.' }) field!: string;
  @Field(() => String, { nullable: true }) value!: string | null;
  @Field(() => Int) page!: number;
  @Field({ description: 'The text the value was read from.' }) text!: string;
  @Field(() => EvidenceBox) box!: EvidenceBox;
  @Field(() => Float, { description: '0 to 1.' }) confidence!: number;
}

@ObjectType('ContractDocument', { description: 'The signed agreement a DOCUMENT draft was read from.' })
export class ContractDocument {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) filename!: string | null;
  @Field({ description: 'As sniffed from the bytes: application/pdf, image/png or image/jpeg.' })
  contentType!: string;
  @Field(() => Int, { nullable: true }) pages!: number | null;
  @Field(() => Int) sizeBytes!: number;
  @Field(() => String, {
    nullable: true,
    description: 'How it was read: TEXT_LAYER or OCR (null until read).',
  })
  method!: string | null;
  @Field(() => ContractDocumentStatusEnum) status!: ContractDocumentStatusEnum;
  @Field() sha256!: string;
  @Field(() => String, { nullable: true, description: 'Why the document could not be read.' }) error!:
    string | null;
  @Field(() => String, { nullable: true }) errorCode!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the bytes were deleted; the record stays.' })
  deletedAt!: Date | null;
  @Field(() => [ExtractionEvidence], { description: 'Every extracted value with where it was read.' })
  evidence!: ExtractionEvidence[];
  @Field(() => [String], { description: 'Terms left empty or worth checking, with why.' })
  notes!: string[];
}
