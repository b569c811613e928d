/**
 * Contract Extraction from signed agreements: uploads (stored behind a storage interface, deduped by
 * SHA-256), the durable processing queue, the PDF reader and the pluggable extractor that fills in the
 * document's draft. Other folders import this feature only through this file.
 */
export { BuiltInContractExtractor } from './contract-extractor';
export type { ContractExtractor } from './contract-extractor';
export { ContractDocumentService, DocumentRefusedError } from './contract-document.service';
export type { DocumentUpload, UploadOutcome } from './contract-document.service';
export { DocumentProcessor } from './document-processor';
export { DocumentQueue, MAX_DOCUMENT_ATTEMPTS } from './document-queue';
export { AgreementReader, DocumentReadError, PdfTextReader } from './document-reader';
export { TesseractOcr } from './tesseract-ocr';
export type { OcrEngine } from './tesseract-ocr';
export type { DocumentReader } from './document-reader';
export { DatabaseDocumentStorage } from './document-storage';
export type { DocumentStorage } from './document-storage';
