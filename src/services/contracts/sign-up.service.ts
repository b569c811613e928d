import { badInput, notFound } from '../../domain/errors';
import type { RequestContext } from '../../context';
import { startOfUtcDay } from '../../domain/periods';
import { PlanEntity, type BillingCycle } from '../../entities/plan.entity';
import type { ContractService } from './contract.service';
import type { CentsInput } from '../credits';
import type { CreditService } from '../credits';
import type { CreateCustomerInput, CustomerService } from '../customers';
import type { ContractHistoryService } from './contract-history';
import type { SelfServeCrmSync } from '../crm';
import { runIdempotent, type IdempotentOutcome } from '../common';

export interface SignUpInput {
  customer: CreateCustomerInput;
  planId: string;
  /** Default: today (UTC). */
  startDate?: Date | null;
  /** Default: the plan's. */
  billingCycle?: BillingCycle | null;
  promotionalCredits?: {
    amountCents: CentsInput;
    description?: string | null;
    expiresAt?: Date | null;
  } | null;
  idempotencyKey: string;
}

export interface SignUpResult extends Record<string, unknown> {
  customerId: string;
  contractId: string;
  promotionalCreditGrantId: string | null;
}

/**
 * Self-serve sign-up: the customer, an active evergreen contract on a public plan, and optional promotional
 * credits, in ONE transaction through the customer, contract and credit services (each joins it), behind an
 * idempotency record so a retried sign-up returns the first result instead of a second customer.
 */
export class SignUpService {
  constructor(
    private readonly customers: CustomerService,
    private readonly contracts: ContractService,
    private readonly credits: CreditService,
    private readonly history: ContractHistoryService,
    private readonly crm: SelfServeCrmSync,
  ) {}

  async signUp(ctx: RequestContext, input: SignUpInput): Promise<IdempotentOutcome<SignUpResult>> {
    const { idempotencyKey, ...request } = input;
    return runIdempotent(ctx, { key: idempotencyKey, operation: 'signUp', request }, async (tx) => {
      const plan = await tx
        .repo(PlanEntity)
        .findOne({ where: { id: input.planId, environmentId: tx.environmentId } });
      if (!plan) throw notFound('Plan', input.planId, 'input.planId');
      if (!plan.isPublic) {
        throw badInput(
          'input.planId',
          `Plan ${plan.name} is not offered in the self-serve catalog (not public)`,
        );
      }
      const customer = await this.customers.create(tx, input.customer);
      const contract = await this.contracts.create(tx, {
        customerId: customer.id,
        planId: plan.id,
        startDate: input.startDate ?? startOfUtcDay(tx.now()),
        billingCycle: input.billingCycle ?? null,
        source: 'SELF_SERVE',
      });
      const promo = input.promotionalCredits
        ? await this.credits.grantPromotionalCredits(tx, contract.id, {
            amountCents: input.promotionalCredits.amountCents,
            description: input.promotionalCredits.description ?? 'Sign-up promotion',
            expiresAt: input.promotionalCredits.expiresAt ?? null,
          })
        : null;
      // The contract service recorded the CREATED amendment; mirror the new account into the CRM.
      const [created] = (await this.history.history(tx, contract.id)).filter((a) => a.kind === 'CREATED');
      if (created) {
        await this.crm.contractChanged(tx, contract, {
          amendmentId: created.id,
          type: 'New Business',
          effectiveAt: contract.startDate,
          description: `Self-serve sign-up on ${plan.name}`,
        });
      }
      return {
        customerId: customer.id,
        contractId: contract.id,
        promotionalCreditGrantId: promo?.id ?? null,
      };
    });
  }
}
