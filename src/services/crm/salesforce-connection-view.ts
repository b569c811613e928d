import { withDefaults, type ApiUsage, type SalesforceFieldConfig } from '../../../connectors/salesforce';
import type { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';

/** A Salesforce connection as the CRM module hands it out (read it through the functions below). */
export type SalesforceConnectionRecord = SalesforceConnectionEntity;

/** The field names the connection reads, with the defaults filled in. */
export function connectionFieldConfig(connection: SalesforceConnectionRecord): SalesforceFieldConfig {
  return withDefaults(connection.fieldConfig);
}

/** The API usage Salesforce last reported, or null before any call. */
export function connectionApiUsage(connection: SalesforceConnectionRecord): ApiUsage | null {
  return connection.apiUsageUsed !== null && connection.apiUsageMax !== null
    ? { used: connection.apiUsageUsed, max: connection.apiUsageMax }
    : null;
}
