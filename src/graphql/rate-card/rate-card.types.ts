import { Field, ID, ObjectType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { Connection } from '../pagination';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

@ObjectType('RateCardEntry', {
  description: 'One rate for one combination of dimension values over [effectiveFrom, effectiveTo).',
})
export class RateCardEntry {
  @Field(() => ID) id!: string;
  @Field(() => JSONObjectScalar, {
    description: 'Group-key values, e.g. {"region": "US"}; {} is the catch-all.',
  })
  dimensions!: Record<string, string>;
  @Field({ description: 'Canonical form of the dimensions: sorted key=value pairs joined by "|".' })
  dimensionKey!: string;
  @Field(() => DecimalScalar, { description: 'Price per unit (per unitSize units of the pricing).' })
  rate!: Decimal;
  @Field(() => Date) effectiveFrom!: Date;
  @Field(() => Date, { nullable: true, description: 'Exclusive; null is open-ended.' })
  effectiveTo!: Date | null;
}

@ObjectType('RateCard', { description: "Rates by dimension for one meter's usage." })
export class RateCard {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Date) createdAt!: Date;
}

export const RateCardConnection = Connection(RateCard, 'RateCard');
