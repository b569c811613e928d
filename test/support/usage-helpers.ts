import type { TestApp } from './test-app';

/** Wire-shaped event for POST /v1/events. */
export interface WireEvent {
  customer_id?: unknown;
  event_name?: unknown;
  idempotency_key?: unknown;
  timestamp?: unknown;
  properties?: unknown;
}

export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: Array<{ index: number; status: string; error?: { code: string; message: string; field: string } }>;
}

export async function createMeter(
  t: TestApp,
  input: {
    code: string;
    eventName: string;
    aggregation: string;
    aggregationKey?: string | null;
    groupKeys?: string[];
    allowNegative?: boolean;
  },
): Promise<string> {
  const data = await t.gqlOk<{ createMeter: { id: string } }>(
    'mutation($input: CreateMeterInput!) { createMeter(input: $input) { id } }',
    { input: { displayName: input.code, groupKeys: [], ...input } },
  );
  return data.createMeter.id;
}

export async function sendBatch(t: TestApp, events: WireEvent[]) {
  return t.rest<BatchAnswer>('POST', '/v1/events/batch', { events });
}

export async function usage(
  t: TestApp,
  args: { customerId: string; meterCode: string; from: string; to: string; groupBy?: string[] | null },
) {
  const data = await t.gqlOk<{
    usage: Array<{ dimensions: Record<string, string>; quantity: string; eventCount: number }>;
  }>(
    `query($customerId: String!, $meterCode: String!, $from: DateTime!, $to: DateTime!, $groupBy: [String!]) {
      usage(customerId: $customerId, meterCode: $meterCode, from: $from, to: $to, groupBy: $groupBy) {
        dimensions quantity eventCount
      }
    }`,
    args,
  );
  return data.usage;
}

export async function countEvents(t: TestApp): Promise<number> {
  const [row] = (await t.app.db.query('SELECT COUNT(*) AS n FROM usage_events')) as Array<{ n: string }>;
  return Number(row.n);
}
