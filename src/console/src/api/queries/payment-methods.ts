/** A customer's payment methods (processor tokens: brand, last four digits, expiry, default). */

export const PAYMENT_METHODS = /* GraphQL */ `
  query ConsolePaymentMethods($customerId: ID!) {
    paymentMethods(customerId: $customerId) {
      id
      provider
      brand
      last4
      expMonth
      expYear
      isDefault
      createdAt
    }
  }
`;
