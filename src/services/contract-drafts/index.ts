/**
 * Contract Extraction drafts: proposed contracts (from Salesforce deals) that ops review, edit and confirm into customers, contracts and credits; product mappings from CRM products to the catalog.
 * Other folders import this feature only through this file.
 */
export { DraftConfirmer } from './contract-draft-confirmer';
export { ContractDraftService, emptyCounts } from './contract-draft.service';
export type { DraftTermsInput, SyncCounts } from './contract-draft.service';
export { ProductMappingService } from './product-mapping.service';
