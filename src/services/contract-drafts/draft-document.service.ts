import type { RequestContext } from '../../context';
import { emptyDraftContent, type ContractDraftContent } from '../../domain/contract-draft';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';
import { draftIssues } from './draft-issues';
import { contentHashOf, newDraftRow } from './draft-row';

/**
 * Drafts read from uploaded agreements: created empty with the upload (so the caller gets its id at once)
 * and filled in when the document worker has read the document.
 */
export class DraftDocumentService {
  async createEmpty(tx: RequestContext): Promise<ContractDraftEntity> {
    const row = newDraftRow(tx, 'DOCUMENT', null, null, emptyDraftContent());
    row.issues = [];
    await tx.repo(ContractDraftEntity).insert(row);
    return row;
  }

  async applyContent(tx: RequestContext, id: string, content: ContractDraftContent): Promise<boolean> {
    const draft = await tx.repo(ContractDraftEntity).findOne({
      where: { id, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!draft || draft.status !== 'PENDING') return false;
    // Ops already typed terms in while the document was being read: theirs stand.
    if (draft.contentHash !== contentHashOf(emptyDraftContent())) return false;
    await tx.repo(ContractDraftEntity).update(
      { id },
      {
        content,
        contentHash: contentHashOf(content),
        issues: await draftIssues(tx, content),
        updatedAt: tx.now(),
      },
    );
    return true;
  }
}
