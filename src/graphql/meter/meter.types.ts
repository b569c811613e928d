import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../pagination';

/** How a meter turns events into a quantity. */
export enum AggregationEnum {
  SUM = 'SUM',
  COUNT = 'COUNT',
  MAX = 'MAX',
  UNIQUE_COUNT = 'UNIQUE_COUNT',
  LATEST = 'LATEST',
}
registerEnumType(AggregationEnum, {
  name: 'Aggregation',
  description: 'How usage events become a quantity.',
  valuesConfig: {
    SUM: { description: 'Sum of the aggregation key over the period.' },
    COUNT: { description: 'Number of events (no aggregation key).' },
    MAX: { description: 'Largest value of the aggregation key.' },
    UNIQUE_COUNT: { description: 'Number of distinct values of the aggregation key.' },
    LATEST: { description: 'Last reported value of the aggregation key.' },
  },
});

@ObjectType('Meter', {
  description: 'What is measured: events of one name, aggregated, grouped by dimensions.',
})
export class Meter {
  @Field(() => ID) id!: string;
  @Field({ description: 'Unique in the environment, e.g. AI_CALL.' }) code!: string;
  @Field() displayName!: string;
  @Field({ description: 'The event_name of the usage events this meter counts.' }) eventName!: string;
  @Field(() => AggregationEnum) aggregation!: AggregationEnum;
  @Field(() => String, { nullable: true, description: 'The event property aggregated (null for COUNT).' })
  aggregationKey!: string | null;
  @Field(() => [String], { description: 'The dimensions usage is grouped and priced by.' })
  groupKeys!: string[];
  @Field(() => Boolean, { description: 'SUM meters: whether negative event values are accepted.' })
  allowNegative!: boolean;
  @Field(() => Date) createdAt!: Date;
}

export const MeterConnection = Connection(Meter, 'Meter');
