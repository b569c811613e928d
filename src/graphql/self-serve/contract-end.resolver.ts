import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root, registerEnumType } from 'type-graphql';
import { noticeDeadline, type ContractEndAction } from '../../domain/contract-end';
import { contractEndExclusive } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Contract } from '../contract/contract.types';
import { ContractChangeResult } from './self-serve.types';

export enum ContractEndActionEnum {
  RENEWS = 'RENEWS',
  ENDS = 'ENDS',
  CONTRACTS_TO_PLAN = 'CONTRACTS_TO_PLAN',
}
registerEnumType(ContractEndActionEnum, {
  name: 'ContractEndAction',
  valuesConfig: {
    RENEWS: { description: 'Auto-renew is on: a new term of the same length starts at the end.' },
    ENDS: { description: 'The contract ends on its last day (auto-renew off, or cancelled).' },
    CONTRACTS_TO_PLAN: {
      description:
        'Another contract (e.g. a self-serve plan after a contraction) continues from the next day.',
    },
  },
});

/**
 * When and how a contract ends: the end instant, what happens then, and the notice period. Fields of
 * Contract, so portal tokens read them on their own contracts like every other contract field.
 */
@Resolver(() => Contract)
export class ContractEndResolver {
  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'The first instant no longer covered (the day after endDate); null for an evergreen contract.',
  })
  endsAt(@Root() contract: ContractEntity): Date | null {
    return contractEndExclusive(contract.endDate);
  }

  @FieldResolver(() => ContractEndActionEnum, {
    nullable: true,
    description: 'What happens at endsAt; null for an evergreen contract.',
  })
  async atEnd(
    @Root() contract: ContractEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractEndAction | null> {
    return (await services.selfServe.contractEnds.endOf(ctx, contract)).atEnd;
  }

  @FieldResolver(() => Contract, {
    nullable: true,
    description:
      'With atEnd CONTRACTS_TO_PLAN: the contract that continues this one (its plan is the new plan).',
  })
  async continuedBy(
    @Root() contract: ContractEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractEntity | null> {
    return (await services.selfServe.contractEnds.endOf(ctx, contract)).continuedBy;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'The notice period: auto-renew must be turned off at least this many days before endsAt for the ' +
      'contract to end. Null: no notice required.',
  })
  renewalNoticeDays(@Root() contract: ContractEntity): number | null {
    return contract.renewalNoticeDays;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description:
      'endsAt minus the notice period: from this instant a customer token can no longer turn auto-renew off ' +
      '(an API key still can). Null without an end or a notice period.',
  })
  noticeDeadline(@Root() contract: ContractEntity): Date | null {
    return noticeDeadline(contract);
  }

  @Mutation(() => ContractChangeResult, {
    description:
      "Sets a fixed-term contract's notice period in days (0–365; null removes it). Recorded in the history " +
      '(RENEWAL_NOTICE_CHANGED). API keys only.',
  })
  async setRenewalNotice(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('days', () => Int, { nullable: true }) days: number | null,
    @Arg('idempotencyKey', { description: 'Repeating a key returns the first result and changes nothing.' })
    idempotencyKey: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractChangeResult> {
    requireApiKey(context);
    const { ctx, services } = context;
    const outcome = await services.selfServe.amendments.setRenewalNotice(ctx, {
      contractId,
      days: days ?? null,
      idempotencyKey,
    });
    return {
      contract: await services.contracts.getByIdOrThrow(ctx, outcome.result.contractId),
      amendment: await services.selfServe.contractHistory.findAmendment(ctx, outcome.result.amendmentId),
      replayed: outcome.replayed,
    };
  }
}
