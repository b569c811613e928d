/**
 * Payments: recording invoice payments through a payment-provider interface, and customers' payment methods
 * (processor tokens) through a payment-method-provider interface.
 * Other folders import this feature only through this file.
 */
export { RecordedPaymentProvider } from './payment-provider';
export { PaymentService } from './payment.service';
export { TestPaymentMethodProvider } from './payment-method-provider';
export type { PaymentMethodDetails, PaymentMethodProvider } from './payment-method-provider';
export { MAX_PAYMENT_METHODS, PaymentMethodService } from './payment-method.service';
export type { AddPaymentMethodInput } from './payment-method.service';
