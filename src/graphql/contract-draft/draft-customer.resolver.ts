import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CustomerEntity } from '../../entities/customer.entity';
import type { GraphQLContext } from '../context';
import { DraftCustomer } from './contract-draft.types';

@Resolver(() => DraftCustomer)
export class DraftCustomerResolver {
  /** Reviewers recognise a deal by its customer's name, also when the draft matched an existing customer. */
  @FieldResolver(() => String, {
    nullable: true,
    description: "The matched customer's name, else the name of the customer the draft would create.",
  })
  async name(@Root() customer: DraftCustomer, @Ctx() { loaders }: GraphQLContext): Promise<string | null> {
    if (!customer.matchedCustomerId) return customer.proposedName;
    const matched = await loaders.byId(CustomerEntity).load(customer.matchedCustomerId);
    return matched?.name ?? customer.proposedName;
  }
}
