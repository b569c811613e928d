/**
 * Catalog: meters, rate cards, pricings and plans, and the public product catalog for self-serve.
 * Other folders import this feature only through this file.
 */
export { MeterService } from './meter.service';
export { BILLING_CYCLES, MAX_NET_TERMS_DAYS, PlanService } from './plan.service';
export { PricingService } from './pricing.service';
export { ProductCatalogService } from './product-catalog.service';
export { RateCardService } from './rate-card.service';
