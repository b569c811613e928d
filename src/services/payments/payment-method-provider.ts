import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';

/** What a processor reports about a payment method token (never the card number). */
export interface PaymentMethodDetails {
  brand: string | null;
  last4: string | null;
  expMonth: number | null;
  expYear: number | null;
}

/**
 * A processor that holds customers' cards or bank accounts. Clients collect the details with the
 * processor's own UI and hand Tally the token; `describe` checks the token with the processor (refusing an
 * unknown one as BAD_USER_INPUT on `token`) and says what it is. It runs before the saving transaction, so a
 * network call never holds a lock.
 */
export interface PaymentMethodProvider {
  readonly name: string;
  describe(ctx: RequestContext, token: string): Promise<PaymentMethodDetails>;
}

const TEST_TOKEN = /^tok_([a-z]{1,20})_(\d{4})$/;

/**
 * The test processor (outside production): `tok_<brand>_<last4>`, e.g. `tok_visa_4242`, is a card of that
 * brand expiring 12/2030; any other token is refused as the processor would refuse it.
 */
export class TestPaymentMethodProvider implements PaymentMethodProvider {
  readonly name = 'test';

  async describe(_ctx: RequestContext, token: string): Promise<PaymentMethodDetails> {
    const match = TEST_TOKEN.exec(token);
    if (!match) throw badInput('token', 'is not a token of the test provider (tok_<brand>_<last4>)');
    return { brand: match[1], last4: match[2], expMonth: 12, expYear: 2030 };
  }
}
