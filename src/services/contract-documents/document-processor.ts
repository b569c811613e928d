import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { draftContentFromExtraction } from '../../domain/contract-extraction-draft';
import type { DocumentKind } from '../../domain/document-sniff';
import { ContractDocumentEntity } from '../../entities/contract-document.entity';
import type { ContractDraftService } from '../contract-drafts';
import type { ContractExtractor } from './contract-extractor';
import type { DocumentQueue } from './document-queue';
import { DocumentReadError, type DocumentReader } from './document-reader';
import type { DocumentStorage } from './document-storage';
import { loadExtractionCatalog } from './extraction-catalog';

/**
 * One step of the document worker: claims a waiting document, reads it (outside any transaction), extracts
 * its terms against the catalog, and in one transaction fills in its draft and marks it DONE. A failure is
 * recorded on the document (retried when it may pass).
 */
export class DocumentProcessor {
  constructor(
    private readonly queue: DocumentQueue,
    private readonly storage: DocumentStorage,
    private readonly reader: DocumentReader,
    private readonly extractor: ContractExtractor,
    private readonly drafts: ContractDraftService,
  ) {}

  /** Processes one document; false when none was waiting. `ctx` is the worker's (any environment). */
  async processNext(ctx: RequestContext): Promise<boolean> {
    const claimed = await this.queue.claim(ctx);
    if (!claimed) return false;
    if (claimed === 'ABANDONED') return true;
    const envCtx = ctx.forEnvironment(claimed.document.environmentId);
    const started = performance.now();
    try {
      const bytes = await this.storage.get(envCtx, claimed.document.id);
      if (!bytes) throw new DocumentReadError('DOCUMENT_MISSING', 'The document bytes are gone', false);
      const read = await this.reader.read(bytes, claimed.document.contentType as DocumentKind);
      const catalog = await loadExtractionCatalog(envCtx);
      const extraction = await this.extractor.extract(read, catalog);
      const content = draftContentFromExtraction(extraction, catalog);
      // Wall time of the read and extraction, for the per-page figures (not business time).
      const readMs = Math.round(performance.now() - started);
      await withTransaction(envCtx, async (tx) => {
        const document = await this.queue.lockClaimed(tx, claimed);
        if (!document) return;
        await this.drafts.applyDocumentContent(tx, document.draftId, content);
        await tx.repo(ContractDocumentEntity).update(
          { id: document.id },
          {
            status: 'DONE',
            pages: read.pages.length,
            extraction: { method: read.method, ...extraction },
            readMs,
            errorCode: null,
            error: null,
            claimToken: null,
            claimedUntil: null,
            updatedAt: tx.now(),
          },
        );
      });
    } catch (error) {
      const failure =
        error instanceof DocumentReadError
          ? { code: error.code, message: error.message, retriable: error.retriable }
          : { code: 'PROCESSING_ERROR', message: (error as Error).message ?? String(error), retriable: true };
      ctx.log.warn({ err: error, documentId: claimed.document.id }, 'contract document not read');
      await this.queue.recordFailure(envCtx, claimed, failure);
    }
    return true;
  }
}
