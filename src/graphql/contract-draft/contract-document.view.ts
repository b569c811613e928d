import { evidenceLines } from '../../domain/contract-extraction-evidence';
import type { ContractDocumentEntity } from '../../entities/contract-document.entity';
import type { ContractDocument, ContractDocumentStatusEnum } from './contract-document.types';

export function toContractDocumentView(document: ContractDocumentEntity): ContractDocument {
  const extraction = document.extraction;
  return {
    id: document.id,
    filename: document.filename,
    contentType: document.contentType,
    pages: document.pages,
    sizeBytes: document.sizeBytes,
    method: extraction?.method ?? null,
    status: document.status as ContractDocumentStatusEnum,
    sha256: document.sha256,
    error: document.error,
    errorCode: document.errorCode,
    deletedAt: document.deletedAt,
    evidence: extraction
      ? evidenceLines(extraction).map((line) => ({ field: line.field, value: line.value, ...line.evidence }))
      : [],
    notes: extraction ? extraction.issues.map((i) => `${i.field}: ${i.message}`) : [],
  };
}
