import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { checkDocument, isRefusal, type DocumentRefusal } from '../../domain/document-sniff';
import { notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { ContractDocumentEntity } from '../../entities/contract-document.entity';
import type { ContractDraftService } from '../contract-drafts';
import type { DocumentStorage } from './document-storage';

/** An upload refused from its bytes; the REST route answers with `status` and `code`. */
export class DocumentRefusedError extends Error {
  constructor(readonly refusal: DocumentRefusal) {
    super(refusal.message);
  }
}

export interface DocumentUpload {
  bytes: Buffer;
  /** The Content-Type the client declared for the file (checked against the bytes). */
  declaredType: string;
  filename: string | null;
}

export interface UploadOutcome {
  documentId: string;
  draftId: string;
  /** The same bytes were already uploaded in this environment: their draft is returned. */
  duplicate: boolean;
}

const ER_DUP_ENTRY = 1062;

/**
 * Uploaded agreements: stored with an empty DOCUMENT draft in one transaction and queued for the document
 * worker; one document (by SHA-256) per environment; deleting removes the bytes and keeps the record.
 */
export class ContractDocumentService {
  private wakeHook: (() => void) | null = null;

  constructor(
    private readonly storage: DocumentStorage,
    private readonly drafts: ContractDraftService,
  ) {}

  /** Called after an upload commits (the worker starts at once instead of at its next tick). */
  onQueued(hook: () => void): void {
    this.wakeHook = hook;
  }

  async upload(ctx: RequestContext, upload: DocumentUpload): Promise<UploadOutcome> {
    const checked = checkDocument(upload.bytes, upload.declaredType);
    if (isRefusal(checked)) throw new DocumentRefusedError(checked);
    const sha256 = hashBytes(upload.bytes);
    const existing = await this.findBySha(ctx, sha256);
    if (existing) return { documentId: existing.id, draftId: existing.draftId, duplicate: true };
    try {
      const outcome = await withTransaction(ctx, async (tx) => {
        const draft = await this.drafts.createForDocument(tx);
        const now = tx.now();
        const document = tx.repo(ContractDocumentEntity).create({
          id: newId('doc', now.getTime()),
          environmentId: tx.environmentId,
          draftId: draft.id,
          filename: cleanFilename(upload.filename),
          contentType: checked.kind,
          sizeBytes: upload.bytes.length,
          pages: checked.pages,
          sha256,
          dedupeKey: sha256,
          status: 'PROCESSING',
          errorCode: null,
          error: null,
          attempts: 0,
          nextAttemptAt: now,
          claimToken: null,
          claimedUntil: null,
          extraction: null,
          readMs: null,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
        });
        await tx.repo(ContractDocumentEntity).insert(document);
        await this.storage.put(tx, document.id, upload.bytes);
        tx.afterCommit(() => this.wakeHook?.());
        return { documentId: document.id, draftId: draft.id, duplicate: false };
      });
      return outcome;
    } catch (error) {
      // A concurrent upload of the same bytes won the unique key: answer with its draft.
      if ((error as { driverError?: { errno?: number } }).driverError?.errno === ER_DUP_ENTRY) {
        const winner = await this.findBySha(ctx, sha256);
        if (winner) return { documentId: winner.id, draftId: winner.draftId, duplicate: true };
      }
      throw error;
    }
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<ContractDocumentEntity> {
    const document = await ctx
      .repo(ContractDocumentEntity)
      .findOne({ where: { id, environmentId: ctx.environmentId } });
    if (!document) throw notFound('Contract document', id, 'id');
    return document;
  }

  /**
   * Removes the document's bytes. The record (file name, type, SHA-256, pages, what was read) stays as the
   * draft's audit line; a document still waiting to be read is failed so the worker leaves it.
   */
  async delete(ctx: RequestContext, id: string): Promise<ContractDocumentEntity> {
    return withTransaction(ctx, async (tx) => {
      const document = await tx.repo(ContractDocumentEntity).findOne({
        where: { id, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!document) throw notFound('Contract document', id, 'id');
      if (document.deletedAt) return document;
      await this.storage.remove(tx, id);
      const now = tx.now();
      const changes: Partial<ContractDocumentEntity> = {
        deletedAt: now,
        dedupeKey: null,
        updatedAt: now,
        ...(document.status === 'PROCESSING'
          ? {
              status: 'FAILED' as const,
              errorCode: 'DOCUMENT_DELETED',
              error: 'The document was deleted before it was read',
              claimToken: null,
              claimedUntil: null,
            }
          : {}),
      };
      await tx.repo(ContractDocumentEntity).update({ id }, changes);
      return Object.assign(document, changes);
    });
  }

  private findBySha(ctx: RequestContext, sha256: string): Promise<ContractDocumentEntity | null> {
    return ctx
      .repo(ContractDocumentEntity)
      .findOne({ where: { environmentId: ctx.environmentId, dedupeKey: sha256 } });
  }
}

function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The client's file name without any path, control characters or excess length; null when none is left. */
function cleanFilename(name: string | null): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 255);
  return clean || null;
}
