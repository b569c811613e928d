/**
 * Payments: recording invoice payments through a payment-provider interface.
 * Other folders import this feature only through this file.
 */
export { RecordedPaymentProvider } from './payment-provider';
export { PaymentService } from './payment.service';
