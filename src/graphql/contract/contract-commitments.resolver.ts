import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ContractEntity } from '../../entities/contract.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { ContractChangeResult } from '../self-serve/self-serve.types';
import { money } from '../money';
import { validateArg } from '../validate-input';
import { SetContractCommitmentsInput } from './contract.inputs';
import { CommitmentScopeEnum, Contract, ContractMinimumCommitment, ContractRollover } from './contract.types';

/** A contract's minimum commitment and rollover terms: the fields and the amendment that sets them. */
@Resolver(() => Contract)
export class ContractCommitmentsResolver {
  @FieldResolver(() => ContractMinimumCommitment, { nullable: true })
  minimumCommitment(@Root() contract: ContractEntity): ContractMinimumCommitment | null {
    if (!contract.minimumCommitmentAmount || !contract.minimumCommitmentScope) return null;
    return {
      amount: money(contract.minimumCommitmentAmount, contract.currency),
      scope: contract.minimumCommitmentScope as CommitmentScopeEnum,
      pricingIds: contract.minimumCommitmentPricingIds,
      creditsCount: contract.minimumCommitmentCreditsCount,
    };
  }

  @FieldResolver(() => ContractRollover, { nullable: true })
  rollover(@Root() contract: ContractEntity): ContractRollover | null {
    if (!contract.rolloverFraction && !contract.rolloverCap) return null;
    return {
      fraction: contract.rolloverFraction,
      cap: contract.rolloverCap ? money(contract.rolloverCap, contract.currency) : null,
    };
  }

  @Mutation(() => ContractChangeResult, {
    description:
      'Replaces the minimum commitment and rollover terms (API keys only); drafts re-price with the new minimum, ' +
      'finalized invoices keep theirs. Recorded as a COMMITMENTS_CHANGED amendment.',
  })
  async setContractCommitments(
    @Arg('input', () => SetContractCommitmentsInput, { validateFn: validateArg('input') })
    input: SetContractCommitmentsInput,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractChangeResult> {
    requireApiKey(context);
    const { ctx, services } = context;
    const outcome = await services.selfServe.amendments.setCommitments(ctx, input);
    return {
      contract: await services.contracts.getByIdOrThrow(ctx, outcome.result.contractId),
      amendment: await services.selfServe.contractHistory.findAmendment(ctx, outcome.result.amendmentId),
      replayed: outcome.replayed,
    };
  }
}
