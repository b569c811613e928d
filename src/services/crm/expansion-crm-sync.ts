import { crmChanges, isSalesforceId } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { badInput } from '../../domain/errors';
import { addDays, formatCalendarDate } from '../../domain/periods';
import type { CustomerEntity } from '../../entities/customer.entity';
import type { ExpansionRequestEntity } from '../../entities/expansion-request.entity';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import { optionalText, requiredText } from '../common';
import type { CrmOutboxService } from './crm-outbox.service';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';

/** Salesforce requires a close date on every Opportunity; the sales team moves it once they talk. */
const EXPANSION_CLOSE_DAYS = 30;

/**
 * A self-serve customer's request to talk to sales, as an Opportunity on the customer's Account (by Id when
 * the customer is linked to one, else through Tally's id on the Account, which the same push creates),
 * with the stage and record type chosen on the connection. A no-op without a Salesforce connection.
 */
export class ExpansionCrmSync {
  constructor(
    private readonly outbox: CrmOutboxService,
    private readonly connections: Pick<SalesforceConnectionQueries, 'find' | 'getOrThrow'>,
  ) {}

  /** The stage and record type of the Opportunities Tally creates for expansion requests. */
  async setOpportunitySettings(
    ctx: RequestContext,
    input: { stageName: string; recordTypeId?: string | null },
  ): Promise<SalesforceConnectionEntity> {
    const stageName = requiredText(input.stageName, 'stageName', 40);
    const recordTypeId = optionalText(input.recordTypeId, 'recordTypeId', 18);
    if (recordTypeId && !isSalesforceId(recordTypeId))
      throw badInput('recordTypeId', 'must be a 15 or 18 character Salesforce id');
    const connection = await this.connections.getOrThrow(ctx);
    Object.assign(connection, {
      expansionStageName: stageName,
      expansionRecordTypeId: recordTypeId,
      updatedAt: ctx.now(),
    });
    await ctx.repo(SalesforceConnectionEntity).update(
      { id: connection.id },
      {
        expansionStageName: stageName,
        expansionRecordTypeId: recordTypeId,
        updatedAt: connection.updatedAt,
      },
    );
    return connection;
  }

  async requested(
    tx: RequestContext,
    request: ExpansionRequestEntity,
    customer: CustomerEntity,
    planName: string,
  ): Promise<boolean> {
    const connection = await this.connections.find(tx);
    if (!connection || connection.status === 'DISCONNECTED') return false;
    const salesforceAccountId = customer.salesforceAccountId;
    await this.outbox.enqueue(
      tx,
      crmChanges.account({ customerId: customer.id, name: customer.name, salesforceAccountId }),
    );
    await this.outbox.enqueue(
      tx,
      crmChanges.expansionOpportunity({
        requestId: request.id,
        customerId: customer.id,
        salesforceAccountId,
        name: `${customer.name} - Expansion`,
        stageName: connection.expansionStageName,
        closeDate: formatCalendarDate(addDays(request.createdAt, EXPANSION_CLOSE_DAYS)),
        recordTypeId: connection.expansionRecordTypeId,
        description:
          `Asked to talk to sales from the product (self-serve contract ${request.contractId}, plan ${planName}).` +
          (request.note ? `\n\n${request.note}` : ''),
      }),
    );
    return true;
  }
}
