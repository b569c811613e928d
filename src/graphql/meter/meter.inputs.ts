import { ArrayMaxSize, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { AggregationEnum } from './meter.types';

@InputType('CreateMeterInput')
export class CreateMeterInput {
  @Field({ description: 'Unique in the environment: letters, digits, "_", "-", "." (e.g. AI_CALL).' })
  @MaxLength(100)
  code!: string;

  @Field() @MaxLength(200) displayName!: string;

  @Field({ description: 'The event_name of the usage events to count, e.g. ai_call.' })
  @MaxLength(200)
  eventName!: string;

  @Field(() => AggregationEnum) aggregation!: AggregationEnum;

  @Field(() => String, { nullable: true, description: 'Required except for COUNT.' })
  @MaxLength(200)
  aggregationKey?: string | null;

  @Field(() => [String], { nullable: true, description: 'Dimension keys, e.g. ["region", "call_outcome"].' })
  @ArrayMaxSize(16)
  groupKeys?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'SUM only: accept negative event values (corrections). Default false: a negative value is rejected ' +
      'with NEGATIVE_VALUE.',
  })
  allowNegative?: boolean | null;
}

@InputType('UpdateMeterInput', {
  description: 'What may change on a meter; its code, event, aggregation and group keys are fixed.',
})
export class UpdateMeterInput {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'SUM only: accept negative event values (corrections) from now on, or reject them again ' +
      '(NEGATIVE_VALUE). Usage already aggregated is not changed.',
  })
  allowNegative?: boolean | null;
}
