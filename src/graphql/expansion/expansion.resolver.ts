import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { ExpansionRequestEntity } from '../../entities/expansion-request.entity';
import type { ScheduledContractionEntity } from '../../entities/scheduled-contraction.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { ContractDraft } from '../contract-draft/contract-draft.types';
import type { ContractDraftView } from '../contract-draft/contract-draft.view';
import { Contract } from '../contract/contract.types';
import {
  ContractionEffectiveEnum,
  DraftExpansion,
  ExpansionRequest,
  SalesforceExpansionSettings,
  ScheduledContraction,
} from './expansion.types';

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

/** Contraction: ops move a sales-led contract onto a self-serve plan at its end (API keys only). */
@Resolver()
export class ContractionResolver {
  @Mutation(() => ScheduledContraction, {
    description:
      'A sales-led contract that will not be renewed moves onto a self-serve plan at the end of its term: ' +
      'auto-renew is turned off and the self-serve contract is created now, starting the day after the last day.',
  })
  async scheduleContraction(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('planId', () => ID, { description: 'A public (self-serve) plan in the contract’s currency.' })
    planId: string,
    @Arg('effective', () => ContractionEffectiveEnum, { defaultValue: ContractionEffectiveEnum.END_OF_TERM })
    effective: ContractionEffectiveEnum,
    @Ctx() context: GraphQLContext,
  ): Promise<ScheduledContractionEntity> {
    requireApiKey(context);
    return context.services.contractions.schedule(context.ctx, { contractId, planId, effective });
  }

  @Mutation(() => ScheduledContraction, {
    description:
      'Cancels the scheduled contraction before it takes effect: the self-serve contract is cancelled outright ' +
      'and the sales-led contract’s auto-renew restored.',
  })
  async cancelContraction(
    @Arg('contractId', () => ID) contractId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ScheduledContractionEntity> {
    requireApiKey(context);
    return context.services.contractions.cancel(context.ctx, contractId);
  }
}

@Resolver(() => Contract)
export class ContractExpansionFieldsResolver {
  @FieldResolver(() => ScheduledContraction, {
    nullable: true,
    description: 'The move onto a self-serve plan at the end of the term, while scheduled.',
  })
  async scheduledContraction(
    @Root() contract: ContractEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ScheduledContractionEntity | null> {
    return services.contractions.scheduledFor(ctx, contract.id);
  }

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
    @Ctx() { ctx, loaders, services }: GraphQLContext,
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
      // Only an open request still has something to confirm.
      issues:
        request.status === 'OPEN' && draft.status === 'PENDING'
          ? services.expansionConfirmation.issues(ctx, request, {
              matchedCustomerId: draft.customer.matchedCustomerId,
              contractStart: draft.contractStart,
            })
          : [],
    };
  }
}
