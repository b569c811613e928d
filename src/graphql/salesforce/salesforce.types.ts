import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../pagination';
import { JSONObjectScalar } from '../scalars';

export enum SalesforceConnectionStatusEnum {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  AUTH_BROKEN = 'AUTH_BROKEN',
  DISCONNECTED = 'DISCONNECTED',
}
registerEnumType(SalesforceConnectionStatusEnum, {
  name: 'SalesforceConnectionStatus',
  description:
    'PAUSED: an API limit was hit (see pausedUntil). AUTH_BROKEN: reconnect with a new refresh token.',
});

export enum ProductMappingTargetKindEnum {
  PLAN = 'PLAN',
  USAGE_PRICING = 'USAGE_PRICING',
  PREPAID_CREDITS = 'PREPAID_CREDITS',
  FLAT_FEE = 'FLAT_FEE',
}
registerEnumType(ProductMappingTargetKindEnum, { name: 'ProductMappingTargetKind' });

export enum CreditGrantBasisEnum {
  SALE_PRICE = 'SALE_PRICE',
  LIST_PRICE = 'LIST_PRICE',
  QUANTITY = 'QUANTITY',
}
registerEnumType(CreditGrantBasisEnum, {
  name: 'CreditGrantBasis',
  description:
    'What a prepaid credit line grants: its sale price (what is paid), its list price, or its quantity as money.',
});

@ObjectType('SalesforceApiUsage', { description: 'From the Sforce-Limit-Info header of the last response.' })
export class SalesforceApiUsage {
  @Field(() => Int) used!: number;
  @Field(() => Int) max!: number;
}

@ObjectType('SalesforceFieldConfig', {
  description:
    'API names of the custom fields holding terms Salesforce has no standard field for (null = not used).',
})
export class SalesforceFieldConfigType {
  @Field(() => String, { nullable: true }) contractStartField!: string | null;
  @Field(() => String, { nullable: true }) contractEndField!: string | null;
  @Field(() => String, { nullable: true }) termMonthsField!: string | null;
  @Field(() => String, { nullable: true }) paymentTermsField!: string | null;
  @Field(() => String, { nullable: true }) billingCycleField!: string | null;
  @Field(() => String, { nullable: true }) prepaidCreditsField!: string | null;
  @Field(() => String, { nullable: true }) creditsExpiryField!: string | null;
  @Field(() => String, { nullable: true }) billingEmailField!: string | null;
  @Field(() => String, { nullable: true }) accountCustomerIdField!: string | null;
  @Field(() => String, { nullable: true }) currencyField!: string | null;
}

@ObjectType('CrmOutboxEntry', { description: 'A change on its way to Salesforce (or a dead letter).' })
export class CrmOutboxEntry {
  @Field(() => ID) id!: string;
  @Field() sobjectType!: string;
  @Field() externalIdField!: string;
  @Field() externalId!: string;
  @Field({ description: 'PENDING, DONE or DEAD.' }) status!: string;
  @Field(() => JSONObjectScalar, { description: 'The fields Tally owns, as sent.' }) payload!: Record<
    string,
    unknown
  >;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastErrorCode!: string | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => String, { nullable: true }) salesforceId!: string | null;
  @Field(() => Date) nextAttemptAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

export const CrmOutboxEntryConnection = Connection(CrmOutboxEntry, 'CrmOutboxEntry');

@ObjectType('SalesforceConnection', {
  description: 'The Salesforce org of this environment. Secrets are never returned.',
})
export class SalesforceConnection {
  @Field(() => ID) id!: string;
  @Field(() => SalesforceConnectionStatusEnum) status!: SalesforceConnectionStatusEnum;
  @Field(() => String, { nullable: true }) statusReason!: string | null;
  @Field() loginUrl!: string;
  @Field() instanceUrl!: string;
  @Field() clientId!: string;
  @Field() apiVersion!: string;
  @Field(() => String, { nullable: true }) salesforceOrgId!: string | null;
  @Field(() => Date, { nullable: true }) pausedUntil!: Date | null;
  @Field(() => Date, { nullable: true }) lastPollAt!: Date | null;
  @Field(() => String, { nullable: true }) lastPollError!: string | null;
  @Field(() => Date, { nullable: true, description: 'Deals modified before this instant have been read.' })
  watermark!: Date | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('ConnectedSalesforce')
export class ConnectedSalesforce {
  @Field(() => SalesforceConnection) connection!: SalesforceConnection;
  @Field({
    description:
      'The secret the Salesforce Flow or Outbound Message sends to POST /v1/salesforce/trigger. Shown only here, once.',
  })
  triggerSecret!: string;
}

@ObjectType('SalesforceSyncStep', {
  description: 'One step of a sync: what it read and changed, or the request that failed.',
})
export class SalesforceSyncStep {
  @Field({ description: 'WON_OPPORTUNITIES, NOT_WON_OPPORTUNITIES or DELETED_OPPORTUNITIES.' }) name!: string;
  @Field({ description: 'COMPLETED, FAILED, or SKIPPED (an earlier step failed, or nothing to read).' })
  status!: string;
  @Field(() => Int, { description: 'Pages (calls) read.' }) pages!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) reviewItems!: number;
  @Field(() => Int) voided!: number;
  @Field(() => String, { nullable: true, description: 'The request Salesforce refused.' })
  failedRequest!: string | null;
  @Field(() => String, { nullable: true, description: "Salesforce's error code and message." })
  error!: string | null;
}

@ObjectType('SalesforceSyncResult')
export class SalesforceSyncResult {
  @Field({ description: 'COMPLETED, SKIPPED or FAILED.' }) status!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int, { description: 'Pages of won Opportunities read (each step counts its own).' })
  pages!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) reviewItems!: number;
  @Field(() => Int) voided!: number;
  @Field(() => Date, { nullable: true }) watermark!: Date | null;
  @Field(() => [SalesforceSyncStep], {
    description: 'Per step, in order; a failed sync names its failing step.',
  })
  steps!: SalesforceSyncStep[];
}

@ObjectType('ProductMapping', { description: 'A Salesforce ProductCode matched to a catalog item.' })
export class ProductMapping {
  @Field(() => ID) id!: string;
  @Field() productCode!: string;
  @Field(() => ProductMappingTargetKindEnum) targetKind!: ProductMappingTargetKindEnum;
  @Field(() => ID, { nullable: true, description: 'Plan id or pricing id.' }) targetId!: string | null;
  @Field(() => JSONObjectScalar, { nullable: true }) dimensions!: Record<string, string> | null;
  @Field(() => CreditGrantBasisEnum, { nullable: true }) creditGrantBasis!: CreditGrantBasisEnum | null;
  @Field(() => Date) updatedAt!: Date;
}
