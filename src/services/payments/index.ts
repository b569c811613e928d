/**
 * Payments: recording invoice payments through a payment-provider interface, and customers' payment methods
 * (processor tokens) through a payment-method-provider interface.
 * Other folders import this feature only through this file.
 */
export { AutoPayService, DUNNING_SCHEDULE_DAYS } from './auto-pay.service';
export type { DueAutoPay } from './auto-pay.service';
export { RecordedPaymentProvider, TestCardPaymentProvider } from './payment-provider';
export { PaymentService } from './payment.service';
export { TestPaymentMethodProvider } from './payment-method-provider';
export type { PaymentMethodDetails, PaymentMethodProvider } from './payment-method-provider';
export { MAX_PAYMENT_METHODS, PaymentMethodService } from './payment-method.service';
export type { AddPaymentMethodInput } from './payment-method.service';
export { StripeApi } from './stripe/stripe-api';
export type { StripeConfig } from './stripe/stripe-api';
export { StripeProvider } from './stripe/stripe-provider';
export { paymentEventOf, verifyStripeSignature } from './stripe/stripe-webhook';
export type { StripePaymentEvent } from './stripe/stripe-webhook';
