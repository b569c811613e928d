/**
 * Common building blocks every feature uses: input checks, cursor pagination, idempotent mutations, and the after-commit pub/sub that live subscriptions listen to.
 * Other folders import this feature only through this file.
 */
export { amendmentSourceOf, runIdempotent } from './idempotency';
export type { IdempotentOutcome } from './idempotency';
export {
  CREDIT_AMOUNT_RULE,
  POSITIVE_QUANTITY_RULE,
  RATE_RULE,
  checkDecimal,
  decimalRuleViolation,
  isDuplicateKeyError,
  optionalText,
  requiredText,
} from './input-checks';
export { liveTopics, publishAfterCommit } from './live-topics';
export { checkPageSize, pageById } from './pagination';
export { PublicUrlPolicy, UrlRefusedError } from './public-url';
export { guardDefaultAgents, publicOnlyLookup } from './outbound-address-guard';
export type { AddressLookup } from './public-url';
export type { DecimalRule } from './input-checks';
export type { Page, PageArgs } from './pagination';
export { PubSub } from './pubsub';
export { RedisTransport } from './redis-transport';
export { GapFreeSequence } from './gap-free-sequence';
