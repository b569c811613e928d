import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CrmOutboxEntity } from '../../entities/crm-outbox.entity';
import type { CustomerEntity } from '../../entities/customer.entity';
import type { ProductMappingEntity } from '../../entities/product-mapping.entity';
import type { SalesforceFieldConfig } from '../../../connectors/salesforce';
import {
  connectionApiUsage,
  connectionFieldConfig,
  type SalesforceConnectionRecord,
} from '../../services/crm';
import { type GraphQLContext, requireApiKey } from '../context';
import { Customer } from '../customer/customer.types';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import {
  ConnectSalesforceInput,
  SalesforceFieldConfigInput,
  SetProductMappingInput,
} from './salesforce.inputs';
import {
  ConnectedSalesforce,
  CrmOutboxEntry,
  CrmOutboxEntryConnection,
  ProductMapping,
  SalesforceApiUsage,
  SalesforceConnection,
  SalesforceFieldConfigType,
  SalesforceSyncResult,
} from './salesforce.types';

@Resolver(() => SalesforceConnection)
export class SalesforceResolver {
  @Query(() => SalesforceConnection, {
    nullable: true,
    description: "This environment's Salesforce connection.",
  })
  async salesforceConnection(@Ctx() context: GraphQLContext): Promise<SalesforceConnectionRecord | null> {
    requireApiKey(context);
    return context.services.salesforce.find(context.ctx);
  }

  @Mutation(() => ConnectedSalesforce, {
    description:
      'Connects (or reconnects) Salesforce with the OAuth refresh-token flow; the credentials are checked first.',
  })
  async connectSalesforce(
    @Arg('input', () => ConnectSalesforceInput, { validateFn: validateArg('input') })
    input: ConnectSalesforceInput,
    @Ctx() context: GraphQLContext,
  ) {
    requireApiKey(context);
    return context.services.salesforce.connect(context.ctx, {
      ...input,
      fieldConfig: input.fieldConfig ? { ...input.fieldConfig } : null,
    });
  }

  @Mutation(() => SalesforceConnection, { description: 'Stops syncing and destroys the stored credentials.' })
  async disconnectSalesforce(@Ctx() context: GraphQLContext): Promise<SalesforceConnectionRecord> {
    requireApiKey(context);
    return context.services.salesforce.disconnect(context.ctx);
  }

  @Mutation(() => SalesforceSyncResult, {
    description: 'Runs the deal poller now (it also runs every few minutes).',
  })
  async syncSalesforce(@Ctx() context: GraphQLContext) {
    requireApiKey(context);
    return context.services.salesforce.sync(context.ctx);
  }

  @Mutation(() => String, { description: 'A new trigger secret (the old one stops working). Shown once.' })
  async rotateSalesforceTriggerSecret(@Ctx() context: GraphQLContext): Promise<string> {
    requireApiKey(context);
    return context.services.salesforce.rotateTriggerSecret(context.ctx);
  }

  @Mutation(() => SalesforceConnection)
  async setSalesforceFieldConfig(
    @Arg('input', () => SalesforceFieldConfigInput, { validateFn: validateArg('input') })
    input: SalesforceFieldConfigInput,
    @Ctx() context: GraphQLContext,
  ): Promise<SalesforceConnectionRecord> {
    requireApiKey(context);
    return context.services.salesforce.setFieldConfig(context.ctx, {
      ...input,
    } as Partial<SalesforceFieldConfig>);
  }

  @Mutation(() => CrmOutboxEntry, {
    description: 'Queues a dead letter again, after the data or configuration was fixed.',
  })
  async retrySalesforceDeadLetter(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CrmOutboxEntity> {
    requireApiKey(context);
    return context.services.crmOutbox.retryDeadLetter(context.ctx, id);
  }

  @Mutation(() => Customer, {
    description:
      "Links a customer to an Account that already exists in Salesforce: Tally's customer id is written onto " +
      'that Account (by Id) instead of a new Account being created, and its deals match the customer.',
  })
  async linkCustomerToSalesforceAccount(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('salesforceAccountId', () => String) salesforceAccountId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerEntity> {
    requireApiKey(context);
    return context.services.customerAccountLinks.link(context.ctx, customerId, salesforceAccountId);
  }

  @Query(() => [ProductMapping])
  async productMappings(@Ctx() context: GraphQLContext): Promise<ProductMappingEntity[]> {
    requireApiKey(context);
    return context.services.productMappings.list(context.ctx);
  }

  @Mutation(() => ProductMapping, { description: 'Creates or replaces the mapping of a ProductCode.' })
  async setProductMapping(
    @Arg('input', () => SetProductMappingInput, { validateFn: validateArg('input') })
    input: SetProductMappingInput,
    @Ctx() context: GraphQLContext,
  ): Promise<ProductMappingEntity> {
    requireApiKey(context);
    return context.services.productMappings.set(context.ctx, input);
  }

  @Mutation(() => Boolean)
  async deleteProductMapping(
    @Arg('productCode') productCode: string,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    requireApiKey(context);
    return context.services.productMappings.delete(context.ctx, productCode);
  }

  @FieldResolver(() => SalesforceFieldConfigType)
  fieldConfig(@Root() connection: SalesforceConnectionRecord): SalesforceFieldConfig {
    return connectionFieldConfig(connection);
  }

  @FieldResolver(() => SalesforceApiUsage, { nullable: true })
  apiUsage(@Root() connection: SalesforceConnectionRecord): SalesforceApiUsage | null {
    return connectionApiUsage(connection);
  }

  @FieldResolver(() => Int, { description: 'Changes waiting to be pushed to Salesforce.' })
  async outboxDepth(@Ctx() context: GraphQLContext): Promise<number> {
    return context.services.crmOutbox.depth(context.ctx);
  }

  @FieldResolver(() => Int)
  async deadLetterCount(@Ctx() context: GraphQLContext): Promise<number> {
    return context.services.crmOutbox.deadLetterCount(context.ctx);
  }

  @FieldResolver(() => CrmOutboxEntryConnection, {
    description: 'Changes Salesforce refused (with its message); retry them with retrySalesforceDeadLetter.',
    complexity: pageComplexity,
  })
  async deadLetters(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = await context.services.crmOutbox.listDeadLetters(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }
}
