import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { ExpansionRequestEntity } from '../../entities/expansion-request.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { ContractDraft } from '../contract-draft/contract-draft.types';
import type { ContractDraftView } from '../contract-draft/contract-draft.view';
import { Contract } from '../contract/contract.types';
import { DraftExpansion, ExpansionRequest, SalesforceExpansionSettings } from './expansion.types';

/** Expansion requests: asked from the product (API keys, and portal tokens on their own contracts). */
@Resolver()
export class ExpansionResolver {
  @Mutation(() => ExpansionRequest, {
    description:
      'The customer asks to talk to sales about a self-serve contract: recorded on its history and pushed to ' +
      'Salesforce as an Opportunity on the customer’s Account. While a request is open, asking again returns it.',
  })
  async requestExpansion(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('note', () => String, {
      nullable: true,
      description: 'What the customer would like (at most 2000 characters).',
    })
    note: string | null,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ExpansionRequestEntity> {
    return (await services.expansionRequests.request(ctx, contractId, note)).request;
  }

  @Mutation(() => SalesforceExpansionSettings, {
    description: 'Sets the StageName and RecordTypeId of the Opportunities created for expansion requests.',
  })
  async setSalesforceExpansionSettings(
    @Arg('stageName') stageName: string,
    @Arg('recordTypeId', () => String, { nullable: true }) recordTypeId: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<SalesforceExpansionSettings> {
    requireApiKey(context);
    const connection = await context.services.expansionCrm.setOpportunitySettings(context.ctx, {
      stageName,
      recordTypeId,
    });
    return { stageName: connection.expansionStageName, recordTypeId: connection.expansionRecordTypeId };
  }
}

@Resolver(() => Contract)
export class ContractExpansionFieldsResolver {
  @FieldResolver(() => [ExpansionRequest], { description: 'Requests to talk to sales, newest first.' })
  async expansionRequests(
    @Root() contract: ContractEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ExpansionRequestEntity[]> {
    const rows = await loaders.group(ExpansionRequestEntity, 'contractId', 'createdAt').load(contract.id);
    return [...rows].reverse();
  }
}

@Resolver(() => ContractDraft)
export class DraftExpansionResolver {
  @FieldResolver(() => DraftExpansion, {
    nullable: true,
    description:
      "Set when the deal is a self-serve customer's expansion: review it as an expansion of that customer.",
  })
  async expansionOf(
    @Root() draft: ContractDraftView,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<DraftExpansion | null> {
    if (!draft.opportunityId) return null;
    const [request] = await loaders.group(ExpansionRequestEntity, 'opportunityId').load(draft.opportunityId);
    if (!request) return null;
    const customer = await loaders.byId(CustomerEntity).load(request.customerId);
    return {
      requestId: request.id,
      contractId: request.contractId,
      customerId: request.customerId,
      customerName: customer?.name ?? request.customerId,
      note: request.note,
    };
  }
}
