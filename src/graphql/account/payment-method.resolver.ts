import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { PaymentMethodEntity } from '../../entities/payment-method.entity';
import type { GraphQLContext } from '../context';

@ObjectType('PaymentMethod', {
  description: "A customer's card or bank account at a payment processor, held as the processor's token.",
})
export class PaymentMethod {
  @Field(() => ID) id!: string;
  @Field(() => ID) customerId!: string;
  @Field({ description: 'The processor, e.g. test.' }) provider!: string;
  @Field(() => String, { nullable: true, description: 'e.g. visa, as the processor reports it.' })
  brand!: string | null;
  @Field(() => String, { nullable: true }) last4!: string | null;
  @Field(() => Int, { nullable: true }) expMonth!: number | null;
  @Field(() => Int, { nullable: true }) expYear!: number | null;
  @Field() isDefault!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Set once removed.' }) removedAt!: Date | null;
}

/** Payment methods: API keys for any customer, portal tokens for their own. */
@Resolver()
export class PaymentMethodResolver {
  @Query(() => [PaymentMethod], { description: "The customer's payment methods, the default first." })
  async paymentMethods(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<PaymentMethodEntity[]> {
    return services.selfServe.paymentMethods.list(ctx, customerId);
  }

  @Mutation(() => PaymentMethod, {
    description:
      "Adds a payment method from the processor's token (collected by the processor's own UI; never a card " +
      'number). The first one, or one added with makeDefault, becomes the default. At most 10 per customer.',
  })
  async addPaymentMethod(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('token') token: string,
    @Ctx() { ctx, services }: GraphQLContext,
    @Arg('provider', () => String, { nullable: true, description: 'Default: the only processor configured.' })
    provider?: string | null,
    @Arg('makeDefault', () => Boolean, { nullable: true }) makeDefault?: boolean | null,
  ): Promise<PaymentMethodEntity> {
    return services.selfServe.paymentMethods.add(ctx, { customerId, token, provider, makeDefault });
  }

  @Mutation(() => PaymentMethod, { description: "Makes the method its customer's default." })
  async setDefaultPaymentMethod(
    @Arg('id', () => ID) id: string,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<PaymentMethodEntity> {
    return services.selfServe.paymentMethods.setDefault(ctx, id);
  }

  @Mutation(() => PaymentMethod, {
    description:
      'Removes the method (kept as history); removing the default leaves the customer without one.',
  })
  async removePaymentMethod(
    @Arg('id', () => ID) id: string,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<PaymentMethodEntity> {
    return services.selfServe.paymentMethods.remove(ctx, id);
  }
}
