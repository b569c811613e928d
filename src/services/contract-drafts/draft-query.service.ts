import type { RequestContext } from '../../context';
import { notFound } from '../../domain/errors';
import { ContractDraftEntity, type ContractDraftStatus } from '../../entities/contract-draft.entity';
import { pageById, type Page, type PageArgs } from '../common';

export interface DraftListArgs extends PageArgs {
  status?: ContractDraftStatus | null;
}

/** Reads drafts of the caller's environment: one by id, or the review queue page by page. */
export class DraftQueryService {
  async findById(ctx: RequestContext, id: string): Promise<ContractDraftEntity | null> {
    return ctx.repo(ContractDraftEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<ContractDraftEntity> {
    const draft = await this.findById(ctx, id);
    if (!draft) throw notFound('Contract draft', id);
    return draft;
  }

  async list(ctx: RequestContext, args: DraftListArgs): Promise<Page<ContractDraftEntity>> {
    const qb = ctx
      .repo(ContractDraftEntity)
      .createQueryBuilder('d')
      .where('d.environment_id = :env', { env: ctx.environmentId });
    if (args.status) qb.andWhere('d.status = :status', { status: args.status });
    return pageById(qb, args);
  }
}
