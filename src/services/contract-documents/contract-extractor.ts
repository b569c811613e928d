import { extractContract } from '../../domain/contract-extraction';
import type {
  ContractExtraction,
  ExtractionCatalog,
  ReadDocument,
} from '../../domain/contract-extraction-types';

/**
 * Reads a contract's terms from a read document. Pluggable: the built-in one is layout-aware rules with no
 * network; another (e.g. a model behind an API) must still give every value evidence from the document.
 */
export interface ContractExtractor {
  extract(document: ReadDocument, catalog: ExtractionCatalog): Promise<ContractExtraction>;
}

export class BuiltInContractExtractor implements ContractExtractor {
  extract(document: ReadDocument, catalog: ExtractionCatalog): Promise<ContractExtraction> {
    return Promise.resolve(extractContract(document, catalog));
  }
}
