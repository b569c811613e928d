import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('CustomerPortalToken')
export class CustomerPortalToken {
  @Field({ description: 'Bearer token for in-app screens; reads only this customer’s own data.' })
  token!: string;
  @Field(() => ID) customerId!: string;
  @Field() expiresAt!: Date;
}

@ObjectType('CustomerPortalTokenRevocation')
export class CustomerPortalTokenRevocation {
  @Field(() => ID) customerId!: string;
  @Field({
    description: 'Tokens issued before this are refused; sockets opened with them are closed (4403).',
  })
  revokedAt!: Date;
}
