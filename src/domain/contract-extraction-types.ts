/**
 * Contract Extraction from documents: what a reader gives the extractor (positioned text per page), what the
 * extractor knows of the catalog, and what it returns (values, each with the evidence it was read from).
 */

/** A box on a page in PDF points (or image pixels), origin top-left. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextItem extends Box {
  text: string;
  /** How sure OCR is of the word (0..1); absent for a PDF's text layer, which is exact. */
  confidence?: number;
}

export interface ReadPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  items: TextItem[];
}

export interface ReadDocument {
  method: 'TEXT_LAYER' | 'OCR';
  pages: ReadPage[];
}

export interface Evidence {
  page: number;
  text: string;
  box: Box;
  /** 0..1: how sure the extractor is that the value is what the document states. */
  confidence: number;
}

export interface ExtractedValue<T> {
  value: T;
  evidence: Evidence;
}

export interface CatalogRate {
  dimensions: Record<string, string>;
  rate: string;
}

export interface CatalogUsagePricing {
  pricingId: string;
  meterCode: string;
  meterName: string;
  /** Dimension name → the catalog's values. */
  dimensionValues: Record<string, string[]>;
  rates: CatalogRate[];
  fallbackRate: string | null;
}

export interface CatalogPlan {
  planId: string;
  name: string;
  currency: string;
  pricingIds: string[];
}

export interface ExtractionCatalog {
  plans: CatalogPlan[];
  usagePricings: CatalogUsagePricing[];
  /** Names of this organization (the vendor): a party with one of these names is never the customer. */
  vendorNames: string[];
}

export interface ExtractedRate {
  pricingId: string;
  meterCode: string;
  dimensions: Record<string, string>;
  rate: string;
  catalogRate: string | null;
}

export interface ExtractedCredit {
  amountPaid: string;
  creditAmount: string;
  expiresOn: string | null;
}

export interface ExtractedPromotionalCredit {
  amount: string;
  expiresOn: string | null;
}

/** Every term the extractor read; a term it was unsure of is absent and named in `issues`. */
export interface ContractExtraction {
  legalName?: ExtractedValue<string>;
  billingEmail?: ExtractedValue<string>;
  address?: ExtractedValue<string>;
  startDate?: ExtractedValue<string>;
  endDate?: ExtractedValue<string | null>;
  billingCycle?: ExtractedValue<'MONTHLY' | 'QUARTERLY' | 'ANNUAL'>;
  paymentTermsDays?: ExtractedValue<number>;
  autoPay?: ExtractedValue<boolean>;
  currency?: ExtractedValue<string>;
  plan?: ExtractedValue<{ planId: string; name: string }>;
  prepaidCredits: Array<ExtractedValue<ExtractedCredit>>;
  promotionalCredits: Array<ExtractedValue<ExtractedPromotionalCredit>>;
  rates: Array<ExtractedValue<ExtractedRate>>;
  /** Field → why it was left empty (or what the reviewer should check). */
  issues: Array<{ field: string; message: string }>;
}

/** An extraction written for the reviewer: field, value as text, evidence. */
export interface EvidenceLine {
  field: string;
  value: string | null;
  evidence: Evidence;
}
