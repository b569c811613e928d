import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { BillingCycle } from '../../entities/plan.entity';
import type { ContractChangeRequest } from '../../services/previews';
import { type GraphQLContext, requireApiKey } from '../context';
import { money } from '../money';
import { validateArg } from '../validate-input';
import { ContractChangeInput, SignUpPreviewInput } from './preview.inputs';
import { ContractChangePreview, SignUpPreview, toInvoicePreview } from './preview.types';

/** The service's request: the same values, with the GraphQL enums read as the domain's strings. */
function toChangeRequest(change: ContractChangeInput): ContractChangeRequest {
  return {
    ...change,
    changeBillingCycle: change.changeBillingCycle
      ? { billingCycle: change.changeBillingCycle.billingCycle as BillingCycle }
      : null,
  };
}

/**
 * Price previews before every self-serve change and before sign-up. Queries: they run the change and roll
 * it back, so they write nothing and may be called as often as a pricing screen needs.
 */
@Resolver()
export class PricePreviewResolver {
  @Query(() => ContractChangePreview, {
    description:
      'What a contract change would bill, exactly as the matching mutation (changePlan, addAddOn, ' +
      'removeAddOn, changeQuantity, changeBillingCycle, cancelContract) bills it when applied at the same ' +
      'instant: the invoices it shapes, with their lines. Refuses what the mutation would refuse, with the ' +
      'same error. Customer tokens: their own contracts.',
  })
  async previewContractChange(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('change', () => ContractChangeInput, { validateFn: validateArg('change') })
    change: ContractChangeInput,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractChangePreview> {
    const preview = await services.selfServe.previews.previewContractChange(
      ctx,
      contractId,
      toChangeRequest(change),
    );
    const { currency } = preview;
    return {
      contractId: preview.contractId,
      currency,
      kind: preview.kind,
      effectiveAt: preview.effectiveAt,
      invoices: preview.invoices.map(toInvoicePreview),
      invoicesBefore: preview.invoicesBefore.map(toInvoicePreview),
      totalAfter: money(preview.totalAfter, currency),
      totalBefore: money(preview.totalBefore, currency),
      difference: money(preview.totalAfter.minus(preview.totalBefore), currency),
    };
  }

  @Query(() => SignUpPreview, {
    description: 'What signUp with this input would bill (API keys only); nothing is created.',
  })
  async previewSignUp(
    @Arg('input', () => SignUpPreviewInput, { validateFn: validateArg('input') }) input: SignUpPreviewInput,
    @Ctx() context: GraphQLContext,
  ): Promise<SignUpPreview> {
    requireApiKey(context);
    const { ctx, services } = context;
    const preview = await services.selfServe.previews.previewSignUp(ctx, {
      ...input,
      billingCycle: input.billingCycle as BillingCycle | null | undefined,
    });
    return { currency: preview.currency, invoices: preview.invoices.map(toInvoicePreview) };
  }
}
