import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { DecimalScalar } from '../scalars';

const CENTS = 'Whole minor units (cents), e.g. 12000000 for $120,000.00; a number or a string of digits.';

@InputType('GrantPromotionalCreditsInput')
export class GrantPromotionalCreditsInput {
  @Field(() => DecimalScalar, { description: CENTS }) amountCents!: Decimal;
  @Field(() => String, { nullable: true }) @MaxLength(500) description?: string | null;
  @Field(() => Date, {
    nullable: true,
    description: 'Null = never expires. Must be after the credits start.',
  })
  expiresAt?: Date | null;
  @Field(() => String, {
    nullable: true,
    description: 'Repeating a key returns the first grant and grants nothing more.',
  })
  @MaxLength(200)
  idempotencyKey?: string | null;
}

@InputType('GrantPrepaidCreditsInput')
export class GrantPrepaidCreditsInput extends GrantPromotionalCreditsInput {
  @Field(() => DecimalScalar, {
    nullable: true,
    description: `What the customer pays; a COMMITMENT invoice is issued when set. ${CENTS}`,
  })
  invoiceAmountCents?: Decimal | null;
}

/** `createContract`'s `creditSettings` (the seeds' shape). */
@InputType('CreditSettingsInput')
export class CreditSettingsInput {
  @Field(() => String, { nullable: true, description: 'e.g. "2026 annual commitment"' })
  @MaxLength(500)
  description?: string | null;
  @Field(() => Date, { nullable: true, description: "Default: the contract's end (never, when evergreen)." })
  expiresAt?: Date | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: `When set, a COMMITMENT invoice for this amount is issued at the contract's start. ${CENTS}`,
  })
  invoiceAmountCents?: Decimal | null;
}
