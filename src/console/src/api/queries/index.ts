/**
 * Every GraphQL document the console sends, one module per feature, so that a renamed field is a one-line
 * fix. The console uses nothing but the public API: these documents and the invoice PDF URL.
 */
export * from './features';
export * from './environments';
export * from './contract-drafts';
export * from './customers';
export * from './account-history';
export * from './payment-methods';
export * from './invoices';
export * from './events';
export * from './usage-failures';
export * from './credits';
export * from './credit-notes';
export * from './catalog';
