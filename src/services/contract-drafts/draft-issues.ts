import type { RequestContext } from '../../context';
import { computeDraftIssues, type ContractDraftContent, type DraftIssue } from '../../domain/contract-draft';
import { loadDraftFeeCatalog } from './draft-fee-catalog';
import { loadDraftPlanTerms } from './draft-plan-terms';

/**
 * The issues of some drafts with what the catalog says (the pricings their fees name, their plans' terms):
 * the same rule whatever the draft's source, in a bounded number of queries for a whole page.
 */
export async function draftIssuesWithCatalog(
  ctx: RequestContext,
  contents: readonly ContractDraftContent[],
): Promise<DraftIssue[][]> {
  const [feeCatalog, planTerms] = await Promise.all([
    loadDraftFeeCatalog(ctx, contents),
    loadDraftPlanTerms(ctx, contents),
  ]);
  return contents.map((content) => computeDraftIssues(content, feeCatalog, planTerms));
}

/** One draft's issues, with what the catalog says. */
export async function draftIssues(ctx: RequestContext, content: ContractDraftContent): Promise<DraftIssue[]> {
  return (await draftIssuesWithCatalog(ctx, [content]))[0];
}
