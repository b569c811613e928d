import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { newId } from '../../domain/ids';
import { EnvironmentEntity } from '../../entities/environment.entity';
import { OrganizationEntity } from '../../entities/organization.entity';
import type { ApiKeyService } from './api-key.service';

export interface BootstrapResult {
  organization: OrganizationEntity;
  environment: EnvironmentEntity;
  apiKey: string;
  apiKeyId: string;
}

export class OrganizationService {
  constructor(private readonly apiKeys: ApiKeyService) {}

  /**
   * Creates an organization with its `live` environment and a first API key, in one transaction.
   * `ctx` is a system context; its environment ids are replaced by the new ones.
   */
  async bootstrap(ctx: RequestContext, name: string): Promise<BootstrapResult> {
    return withTransaction(ctx, async (tx) => {
      const now = tx.now();
      const organization = tx.repo(OrganizationEntity).create({ id: newId('org'), name, createdAt: now });
      await tx.repo(OrganizationEntity).insert(organization);
      const environment = tx.repo(EnvironmentEntity).create({
        id: newId('env'),
        organizationId: organization.id,
        name: 'live',
        kind: 'LIVE',
        createdAt: now,
      });
      await tx.repo(EnvironmentEntity).insert(environment);
      const created = await this.apiKeys.create(
        tx.forEnvironment(environment.id, organization.id),
        'bootstrap',
        'live',
      );
      return { organization, environment, apiKey: created.secret, apiKeyId: created.apiKey.id };
    });
  }

  async getCurrentEnvironment(ctx: RequestContext): Promise<EnvironmentEntity> {
    return ctx.repo(EnvironmentEntity).findOneOrFail({ where: { id: ctx.environmentId } });
  }

  async listEnvironments(ctx: RequestContext): Promise<EnvironmentEntity[]> {
    return ctx
      .repo(EnvironmentEntity)
      .find({ where: { organizationId: ctx.organizationId }, order: { id: 'ASC' } });
  }
}
