import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('ApiKey')
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the key, to recognise it.' }) prefix!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field({ description: 'The key itself. It is shown only here, once; store it safely.' }) secret!: string;
}

@ObjectType('Environment')
export class Environment {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'LIVE or SANDBOX' }) kind!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: 'A sandbox created with ttlHours is deleted with all its data once this has passed.',
  })
  expiresAt!: Date | null;
}
