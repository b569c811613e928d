import type {
  ProductMappingRule,
  SalesforceFieldConfig,
  SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';

/** What one pass of the deal sync did to the drafts. */
export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  reviewItems: number;
  voided: number;
}

export const emptyCounts = (): SyncCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  reviewItems: 0,
  voided: 0,
});

/**
 * Where the deal sync hands the Opportunities it reads. The Contract Extraction drafts feature implements
 * it and the composition root wires it in, so the CRM feature does not depend on the drafts feature
 * (which itself records CRM changes through the outbox).
 */
export interface DealSink {
  /** Upserts the drafts of one page of won Opportunities, in the caller's transaction. */
  applyOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: SalesforceOpportunity[],
    mappings: ReadonlyMap<string, ProductMappingRule>,
    fields: SalesforceFieldConfig,
  ): Promise<SyncCounts>;
  /** Voids the pending drafts of deals no longer won; answers how many. */
  voidOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: Array<{ Id: string; SystemModstamp: string }>,
  ): Promise<number>;
}

/** The product-mapping rules (Salesforce product → catalog pricing) the mapper applies to each deal. */
export interface ProductMappingRules {
  rules(ctx: RequestContext): Promise<ReadonlyMap<string, ProductMappingRule>>;
}
