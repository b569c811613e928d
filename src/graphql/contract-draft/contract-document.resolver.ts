import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ContractDocumentEntity } from '../../entities/contract-document.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { ContractDocument } from './contract-document.types';
import { toContractDocumentView } from './contract-document.view';
import { ContractDraft } from './contract-draft.types';
import type { ContractDraftView } from './contract-draft.view';

/** The document a DOCUMENT draft was read from, and deleting its bytes. Uploads go through REST. */
@Resolver(() => ContractDraft)
export class ContractDocumentResolver {
  @FieldResolver(() => ContractDocument, {
    nullable: true,
    description:
      'The uploaded agreement (DOCUMENT drafts), its reading status and the evidence of each value.',
  })
  async document(
    @Root() draft: ContractDraftView,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractDocument | null> {
    if (draft.source !== 'DOCUMENT') return null;
    const [document] = await loaders.group(ContractDocumentEntity, 'draftId').load(draft.id);
    return document ? toContractDocumentView(document) : null;
  }

  @Mutation(() => ContractDocument, {
    description: "Deletes an uploaded document's bytes; its record stays on the draft as the audit line.",
  })
  async deleteContractDocument(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractDocument> {
    requireApiKey(context);
    return toContractDocumentView(await context.services.contractDocuments.delete(context.ctx, id));
  }
}
