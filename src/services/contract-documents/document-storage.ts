import type { RequestContext } from '../../context';
import { ContractDocumentPartEntity } from '../../entities/contract-document-part.entity';

/**
 * Where uploaded documents' bytes live. The flow only puts, gets and removes by document id (which the
 * caller has already checked belongs to its environment), so an S3-compatible store can replace the
 * database one without touching it.
 */
export interface DocumentStorage {
  put(tx: RequestContext, documentId: string, bytes: Buffer): Promise<void>;
  get(ctx: RequestContext, documentId: string): Promise<Buffer | null>;
  remove(tx: RequestContext, documentId: string): Promise<void>;
}

/**
 * 4 MB per row: the driver sends bytes inside the INSERT as hex (twice their size), so each statement stays
 * well under MariaDB's default max_allowed_packet (16 MB).
 */
const PART_BYTES = 4 * 1024 * 1024;

/** Bytes in the database, in the upload's transaction: a document is stored whole or not at all. */
export class DatabaseDocumentStorage implements DocumentStorage {
  async put(tx: RequestContext, documentId: string, bytes: Buffer): Promise<void> {
    for (let seq = 0; seq * PART_BYTES < bytes.length || seq === 0; seq++) {
      await tx
        .repo(ContractDocumentPartEntity)
        .insert({ documentId, seq, bytes: bytes.subarray(seq * PART_BYTES, (seq + 1) * PART_BYTES) });
    }
  }

  async get(ctx: RequestContext, documentId: string): Promise<Buffer | null> {
    const parts = await ctx
      .repo(ContractDocumentPartEntity)
      .find({ where: { documentId }, order: { seq: 'ASC' } });
    return parts.length ? Buffer.concat(parts.map((p) => p.bytes)) : null;
  }

  async remove(tx: RequestContext, documentId: string): Promise<void> {
    await tx.repo(ContractDocumentPartEntity).delete({ documentId });
  }
}
