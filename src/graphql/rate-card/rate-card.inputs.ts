import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

@InputType('RateCardEntryInput')
export class RateCardEntryInput {
  @Field(() => JSONObjectScalar, {
    description: 'Values of some of the meter\'s group keys, e.g. {"region": "US"}; {} is the catch-all.',
  })
  dimensions!: Record<string, unknown>;

  @Field(() => DecimalScalar, { description: '>= 0, at most 12 decimal places.' })
  rate!: Decimal;

  @Field(() => Date, {
    nullable: true,
    description: 'Default: the Unix epoch (the entry has always applied).',
  })
  effectiveFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive end; null or absent is open-ended.' })
  effectiveTo?: Date | null;
}

@InputType('CreateRateCardInput')
export class CreateRateCardInput {
  @Field({ description: 'Code of the meter the card prices.' }) meterCode!: string;
  @Field() @MaxLength(200) name!: string;
  @Field(() => [RateCardEntryInput]) @ArrayMaxSize(1000) entries!: RateCardEntryInput[];
}
