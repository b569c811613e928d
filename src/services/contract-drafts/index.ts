/**
 * Contract Extraction drafts: proposed contracts (from Salesforce deals) that ops review, edit and confirm into customers, contracts and credits; product mappings from CRM products to the catalog.
 * Other folders import this feature only through this file.
 */
export { DraftConfirmer } from './contract-draft-confirmer';
export { ContractDraftService } from './contract-draft.service';
export type {
  ConfirmableContractDraft,
  ConfirmOptions,
  ContractDraftConfirmer,
  ReplacedContractHook,
} from './draft-decision.service';
export type { DraftListArgs } from './draft-query.service';
export type { DraftTermsInput } from './draft-terms';
export { ProductMappingService } from './product-mapping.service';
