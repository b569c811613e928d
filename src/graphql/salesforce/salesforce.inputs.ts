import { IsUrl, Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { JSONObjectScalar } from '../scalars';
import { CreditGrantBasisEnum, ProductMappingTargetKindEnum } from './salesforce.types';

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const FIELD_MESSAGE = 'must be a Salesforce field API name such as Payment_Terms__c';

@InputType('SalesforceFieldConfigInput', {
  description: 'Omitted fields keep their value; null stops using a field.',
})
export class SalesforceFieldConfigInput {
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  contractStartField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  contractEndField?: string | null;
  @Field(() => String, { nullable: true }) @Matches(FIELD_NAME, { message: FIELD_MESSAGE }) termMonthsField?:
    string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  paymentTermsField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  billingCycleField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  prepaidCreditsField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  creditsExpiryField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  billingEmailField?: string | null;
  @Field(() => String, { nullable: true })
  @Matches(FIELD_NAME, { message: FIELD_MESSAGE })
  accountCustomerIdField?: string | null;
  @Field(() => String, { nullable: true }) @Matches(FIELD_NAME, { message: FIELD_MESSAGE }) currencyField?:
    string | null;
}

@InputType('ConnectSalesforceInput')
export class ConnectSalesforceInput {
  @Field({ description: 'https://login.salesforce.com, https://test.salesforce.com or the My Domain URL.' })
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'must be a URL' })
  loginUrl!: string;
  @Field({ description: 'e.g. https://acme.my.salesforce.com' })
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'must be a URL' })
  instanceUrl!: string;
  @Field({ description: "The connected app's consumer key." }) @MaxLength(2000) clientId!: string;
  @Field({ description: "The connected app's consumer secret (stored encrypted)." })
  @MaxLength(2000)
  clientSecret!: string;
  @Field({ description: 'A refresh token of the integration user (stored encrypted).' })
  @MaxLength(2000)
  refreshToken!: string;
  @Field(() => String, { nullable: true, description: 'Default 62.0.' })
  @Matches(/^\d{2,3}\.0$/, { message: 'must look like 62.0' })
  apiVersion?: string | null;
  @Field(() => Date, {
    nullable: true,
    description: 'First sync reads deals modified since (default: 30 days ago).',
  })
  syncFrom?: Date | null;
  @Field(() => SalesforceFieldConfigInput, { nullable: true })
  fieldConfig?: SalesforceFieldConfigInput | null;
}

@InputType('SetProductMappingInput')
export class SetProductMappingInput {
  @Field({ description: 'Product2.ProductCode in Salesforce.' }) @MaxLength(255) productCode!: string;
  @Field(() => ProductMappingTargetKindEnum) targetKind!: ProductMappingTargetKindEnum;
  @Field(() => ID, { nullable: true, description: 'Plan id (PLAN) or pricing id (USAGE_PRICING, FLAT_FEE).' })
  targetId?: string | null;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description:
      'USAGE_PRICING only: the dimension combination the line price applies to, e.g. {"region": "EU"}.',
  })
  dimensions?: Record<string, string> | null;
  @Field(() => CreditGrantBasisEnum, {
    nullable: true,
    description: 'PREPAID_CREDITS only; default SALE_PRICE.',
  })
  creditGrantBasis?: CreditGrantBasisEnum | null;
}
