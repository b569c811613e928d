import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  INVOICE_FIELDS,
  invoicesOf,
  type InvoiceResult,
} from '../support/billing-api';

const ITERATIONS = 40;
const SINGLE_SENDERS = 6;
const BATCH_SENDERS = 2;
const REQUESTS_PER_SENDER = 4;
const BATCH_SIZE = 10;

interface Answer {
  status: string;
  error?: { code: string };
}

/**
 * The closed-period race: an event checked against the guard just before its period's invoice is finalized,
 * but committed after the finalizer read the usage, would be stored in a period whose invoice no longer
 * counts it. Ingestion holds the customer row in share mode from the check to its commit and finalization
 * takes it `FOR UPDATE` first, so each event either is counted by the invoice or is rejected PERIOD_CLOSED.
 * Each iteration races a burst of single events and batches for one customer's October against one
 * finalizeInvoice (retried after the burst when it found usage still pending), then checks that the
 * finalized invoice counts exactly the events stored in its period, and that the events stored are exactly
 * the ones answered `accepted`.
 */
describe('ingestion racing invoice finalization', () => {
  let t: TestApp;
  let planId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-10-20T12:00:00Z');
    await createMeter(t, { code: 'CALLS', displayName: 'Calls', eventName: 'call', aggregation: 'COUNT' });
    const pricingId = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '1',
    });
    planId = await createPlan(t, { name: 'Calls', items: [{ pricingId }] });
  });
  afterAll(() => t.stop());

  const event = (customer: string, key: string, second: number) => ({
    customer_id: customer,
    event_name: 'call',
    idempotency_key: key,
    timestamp: new Date(Date.parse('2026-10-10T00:00:00Z') + second * 1000).toISOString(),
    properties: {},
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function sendSingles(customer: string, sender: number, delayMs: number) {
    await sleep(delayMs);
    const answers: Array<[string, Answer]> = [];
    for (let i = 0; i < REQUESTS_PER_SENDER; i++) {
      const key = `s${sender}-${i}`;
      const { body } = await t.rest<Answer>('POST', '/v1/events', event(customer, key, sender * 100 + i));
      answers.push([key, body]);
    }
    return answers;
  }

  async function sendBatches(customer: string, sender: number, delayMs: number) {
    await sleep(delayMs);
    const answers: Array<[string, Answer]> = [];
    for (let i = 0; i < REQUESTS_PER_SENDER; i++) {
      const keys = Array.from({ length: BATCH_SIZE }, (_, j) => `b${sender}-${i}-${j}`);
      const events = keys.map((key, j) => event(customer, key, 5_000 + sender * 1_000 + i * BATCH_SIZE + j));
      const { body } = await t.rest<{ results: Answer[] }>('POST', '/v1/events/batch', { events });
      keys.forEach((key, j) => answers.push([key, body.results[j]]));
    }
    return answers;
  }

  /** One finalizeInvoice mutation: true when it finalized, false when usage was still pending (CONFLICT). */
  async function tryFinalize(invoiceId: string): Promise<boolean> {
    const result = await t.gql<{ finalizeInvoice: InvoiceResult }>(
      `mutation($id: ID!) { finalizeInvoice(id: $id) { ${INVOICE_FIELDS} } }`,
      { id: invoiceId },
    );
    if (result.data?.finalizeInvoice) return true;
    expect(result.errors?.[0].extensions?.code).toBe('CONFLICT'); // usage still being aggregated
    return false;
  }

  it(`counts every stored event or rejects it, over ${ITERATIONS} races`, async () => {
    let accepted = 0;
    let closed = 0;
    let finalizedFirst = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const external = `race-${iteration}`;
      const customerId = await createCustomer(t, `Race ${iteration}`, external);
      await createContract(t, { customerId, planId, startDate: '2026-10-01' });
      const october = (await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-10'))!;

      // The burst and the finalization start at staggered moments: some finalizations come first and close
      // the period under the burst, others find its events pending and are retried after it.
      const [lists, finalizedDuringBurst] = await Promise.all([
        Promise.all([
          ...Array.from({ length: SINGLE_SENDERS }, (_, s) => sendSingles(external, s, iteration % 8)),
          ...Array.from({ length: BATCH_SENDERS }, (_, s) => sendBatches(external, s, iteration % 8)),
        ]),
        tryFinalize(october.id),
      ]);
      if (finalizedDuringBurst) finalizedFirst++;
      else {
        await t.app.workers.aggregator.drain();
        expect(await tryFinalize(october.id)).toBe(true);
      }
      await t.app.workers.aggregator.drain();
      const late = await t.rest<Answer>('POST', '/v1/events', event(external, 'late', 1));
      expect(late.body.error?.code).toBe('PERIOD_CLOSED');

      const answers = lists.flat();
      for (const [, answer] of answers) {
        expect(answer.status === 'accepted' || answer.error?.code === 'PERIOD_CLOSED').toBe(true);
      }
      const acceptedKeys = answers.filter(([, a]) => a.status === 'accepted').map(([key]) => key);
      const stored = (await t.app.db.query(
        'SELECT idempotency_key FROM usage_events WHERE customer_id = ? ORDER BY idempotency_key',
        [customerId],
      )) as Array<{ idempotency_key: string }>;
      expect(stored.map((r) => r.idempotency_key)).toEqual([...acceptedKeys].sort());

      const [final] = await invoicesOf(t, customerId, 'FINALIZED');
      expect(final.id).toBe(october.id);
      const counted = final.lines
        .filter((line) => line.meterCode === 'CALLS')
        .reduce((sum, line) => sum + Number(line.quantity), 0);
      expect({ iteration, counted }).toEqual({ iteration, counted: stored.length });

      accepted += acceptedKeys.length;
      closed += answers.length - acceptedKeys.length;
    }
    // The races went both ways: events made it into invoices, others came too late.
    expect(accepted).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    expect(finalizedFirst).toBeGreaterThan(0);
  }, 240_000);
});
