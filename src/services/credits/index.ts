/**
 * Credits: prepaid and promotional grants on an append-only ledger, commitment invoices, drawdown at finalization, reversal on void, expiry with breakage, balances.
 * Other folders import this feature only through this file.
 */
export { CommitmentInvoices } from './credit-commitment-invoice';
export { CreditDrawdownService } from './credit-drawdown.service';
export type { CreditDrawdown, DrawdownInput, DrawdownLine, DrawdownResult } from './credit-drawdown';
export type { CentsInput } from './credit-inputs';
export { creditBalanceTopic } from './credit-ledger';
export { CreditQueryService } from './credit-query.service';
export type { CurrencyBalance, CustomerCreditBalance, GrantBalance } from './credit-query.service';
export { CreditService } from './credit.service';
export { CustomerBalanceLedger } from './customer-balance';
export type { ContractCreditsInput } from './credit.service';
