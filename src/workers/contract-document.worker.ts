import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import type { DocumentProcessor } from '../services/contract-documents';
import { PeriodicWorker } from './worker';

/**
 * Reads uploaded agreements into their drafts, one document per run: the queue is claimed with
 * SKIP LOCKED and a lease, so several processes share the documents. Woken right after an upload commits.
 */
export class ContractDocumentWorker extends PeriodicWorker {
  constructor(
    private readonly processor: DocumentProcessor,
    private readonly systemContext: () => RequestContext,
    log: Logger,
    intervalMs = 2_000,
  ) {
    super('contract-documents', intervalMs, log);
  }

  override runOnce(): Promise<boolean> {
    return this.processor.processNext(this.systemContext());
  }
}
