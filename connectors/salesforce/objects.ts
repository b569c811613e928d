/**
 * The Salesforce records Tally writes, and the only fields it owns on them. Standard objects first
 * ("intentional" connector): one custom external-id field per object plus a few standard fields.
 * Everything else on these records belongs to the CRM users and is never sent.
 */
import { isSalesforceId } from './soql';

/**
 * The kinds of record Tally writes. `ExpansionOpportunity` is an Opportunity Tally creates (a self-serve
 * customer asked to talk to sales), upserted by its own external id; `Opportunity` is a deal's existing
 * Opportunity, updated by Id.
 */
export type CrmSObject =
  'Account' | 'Contract' | 'Order' | 'OrderItem' | 'Opportunity' | 'ExpansionOpportunity';

/** A lookup set through the parent's external id (`"Account": {"Billing_Customer_Id__c": "cus_…"}`). */
export interface CrmReference {
  ref: 'Account' | 'Contract' | 'Order';
  externalId: string;
}

export type CrmFieldValue = string | number | boolean | null | CrmReference;

/** One record's full desired state, as far as Tally owns it. */
export interface CrmChange {
  sobject: CrmSObject;
  /** Tally's id (customer, contract, order, order line), or for Opportunity the Salesforce Opportunity id. */
  externalId: string;
  /**
   * The record's Salesforce Id when Tally already knows it (an Account a deal came from, or one ops
   * linked). The change is then an update by Id that also writes the external id: an upsert by external id
   * would insert a second record, since the existing one does not carry Tally's id yet.
   */
  salesforceId?: string | null;
  fields: Record<string, CrmFieldValue>;
}

export interface SObjectSpec {
  /** The Salesforce object, when it differs from the kind's name. */
  salesforceType?: string;
  /** Upserts go by this field; `Id` means a plain update by Salesforce id (Opportunity). */
  externalIdField: string;
  /** Parents are pushed before children. */
  rank: number;
  ownedFields: readonly string[];
}

export const SOBJECTS: Record<CrmSObject, SObjectSpec> = {
  Account: {
    externalIdField: 'Billing_Customer_Id__c',
    rank: 0,
    ownedFields: ['Name'],
  },
  Contract: {
    externalIdField: 'Billing_Contract_Id__c',
    rank: 1,
    // `AccountId` when the customer's Account is known by Salesforce Id, else `Account` by external id.
    ownedFields: ['Account', 'AccountId', 'StartDate', 'ContractTerm', 'Status', 'Description'],
  },
  Order: {
    externalIdField: 'Billing_Order_Id__c',
    rank: 2,
    ownedFields: [
      'Account',
      'AccountId',
      'Contract',
      'EffectiveDate',
      'Status',
      'Type',
      'Description',
      'Pricebook2Id',
    ],
  },
  OrderItem: {
    externalIdField: 'Billing_Order_Item_Id__c',
    rank: 3,
    ownedFields: [
      'Order',
      'PricebookEntryId',
      'Quantity',
      'UnitPrice',
      'ServiceDate',
      'EndDate',
      'Description',
    ],
  },
  Opportunity: {
    externalIdField: 'Id',
    rank: 4,
    // Opportunity.ContractId, set through the Contract's external id once a draft is confirmed.
    ownedFields: ['Contract'],
  },
  ExpansionOpportunity: {
    salesforceType: 'Opportunity',
    externalIdField: 'Billing_Expansion_Request_Id__c',
    rank: 1,
    ownedFields: ['Account', 'AccountId', 'Name', 'StageName', 'CloseDate', 'RecordTypeId', 'Description'],
  },
};

/** The Salesforce object a kind of record is written to. */
export function salesforceTypeOf(sobject: CrmSObject): string {
  return SOBJECTS[sobject].salesforceType ?? sobject;
}

export function isCrmSObject(value: string): value is CrmSObject {
  return Object.prototype.hasOwnProperty.call(SOBJECTS, value);
}

export function isReference(value: CrmFieldValue): value is CrmReference {
  return typeof value === 'object' && value !== null && 'ref' in value;
}

/** Returns why a change is not writable (a field Tally does not own, a bad reference), or null. */
export function validateCrmChange(change: CrmChange): string | null {
  if (!isCrmSObject(change.sobject)) return `Unknown Salesforce object ${String(change.sobject)}`;
  if (!change.externalId || change.externalId.length > 255) return 'externalId must be 1 to 255 characters';
  const spec = SOBJECTS[change.sobject];
  if (change.salesforceId !== null && change.salesforceId !== undefined) {
    if (spec.externalIdField === 'Id') return `${change.sobject} is always written by its Salesforce Id`;
    if (!isSalesforceId(change.salesforceId))
      return `salesforceId ${change.salesforceId} is not a Salesforce id`;
  }
  for (const [field, value] of Object.entries(change.fields)) {
    if (!spec.ownedFields.includes(field)) return `Tally does not own ${change.sobject}.${field}`;
    if (field.endsWith('Id') && field !== 'Id' && (typeof value !== 'string' || !isSalesforceId(value)))
      return `${change.sobject}.${field} must be a Salesforce id`;
    if (isReference(value) && (!isCrmSObject(value.ref) || value.ref !== field)) {
      return `${change.sobject}.${field} must reference a ${field}`;
    }
  }
  return null;
}

/**
 * The record body for sObject Collections: owned fields only, references as parent external ids. With a
 * known `salesforceId` the record is addressed by Id and carries its external id as a plain field.
 */
export function toSObjectRecord(
  sobject: CrmSObject,
  externalId: string,
  fields: Record<string, CrmFieldValue>,
  salesforceId: string | null = null,
): Record<string, unknown> {
  const spec = SOBJECTS[sobject];
  const record: Record<string, unknown> = { attributes: { type: salesforceTypeOf(sobject) } };
  if (salesforceId && spec.externalIdField !== 'Id') {
    record.id = salesforceId;
    record[spec.externalIdField] = externalId;
  } else record[spec.externalIdField === 'Id' ? 'id' : spec.externalIdField] = externalId;
  for (const [field, value] of Object.entries(fields)) {
    if (!spec.ownedFields.includes(field)) continue;
    record[field] = isReference(value) ? { [SOBJECTS[value.ref].externalIdField]: value.externalId } : value;
  }
  return record;
}

/** Builders for the changes other services enqueue (they keep field names in one place). */
export const crmChanges = {
  /**
   * A customer with a Salesforce Account (it came from a deal, or was linked) only gets Tally's id written
   * onto that Account, by Id; the Account's name belongs to the CRM users. A customer without one (a
   * self-serve sign-up) gets an Account created or updated by upsert on Tally's id.
   */
  account(input: { customerId: string; name: string; salesforceAccountId?: string | null }): CrmChange {
    if (input.salesforceAccountId)
      return {
        sobject: 'Account',
        externalId: input.customerId,
        salesforceId: input.salesforceAccountId,
        fields: {},
      };
    return { sobject: 'Account', externalId: input.customerId, fields: { Name: input.name } };
  },
  contract(input: {
    contractId: string;
    customerId: string;
    /** The customer's Account Id when known: the Contract then hangs on that Account directly. */
    salesforceAccountId?: string | null;
    startDate: string;
    termMonths: number;
    status?: 'Draft' | 'Activated';
    description?: string | null;
  }): CrmChange {
    return {
      sobject: 'Contract',
      externalId: input.contractId,
      fields: {
        ...accountLookup(input),
        StartDate: input.startDate,
        ContractTerm: input.termMonths,
        Status: input.status ?? 'Draft',
        Description: input.description ?? null,
      },
    };
  },
  order(input: {
    orderId: string;
    customerId: string;
    salesforceAccountId?: string | null;
    contractId: string;
    effectiveDate: string;
    type?: string | null;
    description?: string | null;
  }): CrmChange {
    return {
      sobject: 'Order',
      externalId: input.orderId,
      fields: {
        ...accountLookup(input),
        Contract: { ref: 'Contract', externalId: input.contractId },
        EffectiveDate: input.effectiveDate,
        Status: 'Draft',
        Type: input.type ?? null,
        Description: input.description ?? null,
      },
    };
  },
  orderItem(input: {
    orderItemId: string;
    orderId: string;
    pricebookEntryId: string;
    quantity: string;
    unitPrice: string;
    serviceDate?: string | null;
    endDate?: string | null;
    description?: string | null;
  }): CrmChange {
    return {
      sobject: 'OrderItem',
      externalId: input.orderItemId,
      fields: {
        Order: { ref: 'Order', externalId: input.orderId },
        PricebookEntryId: input.pricebookEntryId,
        // Salesforce takes numbers; the decimal strings are exact and converted only here.
        Quantity: Number(input.quantity),
        UnitPrice: Number(input.unitPrice),
        ServiceDate: input.serviceDate ?? null,
        EndDate: input.endDate ?? null,
        Description: input.description ?? null,
      },
    };
  },
  /**
   * The Opportunity for a self-serve customer's request to talk to sales, on the customer's Account, upserted
   * by the request id (a retried push never creates a second one). Owned fields only; the sales team owns
   * everything else (amount, products, owner) once it exists.
   */
  expansionOpportunity(input: {
    requestId: string;
    customerId: string;
    salesforceAccountId?: string | null;
    name: string;
    stageName: string;
    closeDate: string;
    recordTypeId?: string | null;
    description: string;
  }): CrmChange {
    return {
      sobject: 'ExpansionOpportunity',
      externalId: input.requestId,
      fields: {
        ...accountLookup(input),
        Name: input.name.slice(0, 120),
        StageName: input.stageName,
        CloseDate: input.closeDate,
        ...(input.recordTypeId ? { RecordTypeId: input.recordTypeId } : {}),
        Description: input.description.slice(0, 32000),
      },
    };
  },
  opportunityContract(input: { opportunityId: string; contractId: string }): CrmChange {
    return {
      sobject: 'Opportunity',
      externalId: input.opportunityId,
      fields: { Contract: { ref: 'Contract', externalId: input.contractId } },
    };
  },
};

function accountLookup(input: {
  customerId: string;
  salesforceAccountId?: string | null;
}): Record<string, CrmFieldValue> {
  return input.salesforceAccountId
    ? { AccountId: input.salesforceAccountId }
    : { Account: { ref: 'Account', externalId: input.customerId } };
}
