import { IsEmail, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

const EMAIL_MESSAGE = { message: 'must be a valid email address' };

@InputType('CreateCustomerInput')
export class CreateCustomerInput {
  @Field() @MaxLength(200) name!: string;
  @Field(() => String, { nullable: true, description: 'Unique in the environment.' })
  @MaxLength(200)
  externalId?: string | null;
  @Field(() => String, { nullable: true }) @IsEmail({}, EMAIL_MESSAGE) email?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(18) salesforceAccountId?: string | null;
}

@InputType('UpdateCustomerInput', {
  description: 'Fields left out stay as they are; null clears an optional field.',
})
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true }) @MaxLength(200) name?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(200) externalId?: string | null;
  @Field(() => String, { nullable: true }) @IsEmail({}, EMAIL_MESSAGE) email?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(18) salesforceAccountId?: string | null;
}
