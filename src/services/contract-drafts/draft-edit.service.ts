import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { emptyDraftContent } from '../../domain/contract-draft';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';
import { draftIssues } from './draft-issues';
import { contentHashOf, newDraftRow } from './draft-row';
import { applyDraftTerms, type DraftTermsInput } from './draft-terms';
import { lockPendingDraft } from './pending-draft';
import type { WebhookEventSink } from '../webhooks';

/** Ops' edits: drafts typed in by hand, and term changes on pending drafts (issues recomputed each time). */
export class DraftEditService {
  constructor(private readonly webhooks: WebhookEventSink) {}

  /** A draft typed in by ops (no CRM), reviewed and confirmed like any other. */
  async create(ctx: RequestContext, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const content = await applyDraftTerms(tx, emptyDraftContent(), input);
      const row = newDraftRow(tx, 'MANUAL', null, null, content);
      row.issues = await draftIssues(tx, content);
      await tx.repo(ContractDraftEntity).insert(row);
      await this.webhooks.record(tx, 'contract_draft.created', row.id);
      return row;
    });
  }

  /** Edits any extracted term of a pending draft; issues are recomputed from the result. */
  async update(ctx: RequestContext, id: string, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const draft = await lockPendingDraft(tx, id);
      draft.content = await applyDraftTerms(tx, draft.content, input);
      draft.issues = await draftIssues(tx, draft.content);
      // A synced draft keeps its deal's hash: re-reading an unchanged deal must not overwrite ops' edits.
      draft.contentHash = draft.source === 'MANUAL' ? contentHashOf(draft.content) : draft.contentHash;
      draft.updatedAt = tx.now();
      await tx.repo(ContractDraftEntity).update(
        { id },
        {
          content: draft.content,
          issues: draft.issues,
          contentHash: draft.contentHash,
          updatedAt: draft.updatedAt,
        },
      );
      return draft;
    });
  }
}
