import type { SalesforceOpportunity } from '../../connectors/salesforce';
import { monthStart } from './demo-calendar';

/**
 * A won Salesforce deal as the connector reads it (the shape of the won-opportunity query), for the demo's
 * Contract Extraction draft: Globex Support buys the AI Call Center plan with $500 of prepaid credits,
 * starting next month. The demo runs it through the same draft sync as a real Salesforce poll.
 */

/** Stands in for a Salesforce connection id: the drafts of one deal are keyed by (connection, Opportunity). */
export const DEMO_CONNECTION_ID = 'sfc_demo_canned_deals';

export const DEMO_PRODUCT_CODES = { plan: 'AI-CALL-CENTER', credits: 'AI-CALL-CREDITS' } as const;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The deal, dated from `now`: a one-year contract from the first of next month. */
export function demoOpportunity(now: Date): SalesforceOpportunity {
  const start = monthStart(now, 1);
  const lastDay = new Date(monthStart(now, 13).getTime() - 86_400_000);
  const closed = monthStart(now, 0);
  return {
    Id: '006DEMO0000000001A',
    Name: 'Globex Support - AI Call Center',
    StageName: 'Closed Won',
    IsWon: true,
    CloseDate: isoDate(closed),
    Amount: 500,
    AccountId: '001DEMO0000000001A',
    SystemModstamp: `${closed.toISOString().slice(0, 19)}.000+0000`,
    Contract_Start_Date__c: isoDate(start),
    Contract_End_Date__c: isoDate(lastDay),
    Payment_Terms__c: 'Net 30',
    Billing_Cycle__c: 'Monthly',
    Account: {
      Id: '001DEMO0000000001A',
      Name: 'Globex Support',
      BillingStreet: '42 Harbor Rd',
      BillingCity: 'Springfield',
      BillingCountry: 'United States',
      Website: 'https://globex-support.example',
      Billing_Email__c: 'ap@globex-support.example',
      Billing_Customer_Id__c: null,
    },
    OpportunityLineItems: {
      records: [
        {
          Id: '00kDEMO0000000001A',
          Quantity: 1,
          UnitPrice: 0,
          ListPrice: 0,
          ServiceDate: isoDate(start),
          Description: 'AI Call Center plan, billed monthly in arrears',
          Product2: { ProductCode: DEMO_PRODUCT_CODES.plan, Name: 'AI Call Center' },
        },
        {
          Id: '00kDEMO0000000002A',
          Quantity: 1,
          UnitPrice: 500,
          ListPrice: 500,
          ServiceDate: isoDate(start),
          Description: 'Prepaid AI call credits',
          Product2: { ProductCode: DEMO_PRODUCT_CODES.credits, Name: 'AI call credits ($500)' },
        },
      ],
    },
  };
}
