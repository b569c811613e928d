import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gql } from '../support/saas-catalog';
import type { TestApp } from '../support/test-app';

/** One request the receiver got, in arrival order. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The parsed envelope. */
  event: { id: string; type: string; apiVersion: string; createdAt: string; data: Gql };
}

/** How the receiver answers a request: status, body, headers; or 'HANG' to never answer (until released). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'HANG';

/**
 * A real HTTP receiver on 127.0.0.1: records every request (raw body kept byte for byte for signature
 * checks) and answers from a per-path script, then 200. Hung requests stay open until `releaseHung()`.
 */
export class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hung: ServerResponse[] = [];
  private readonly waiters: Array<{ until: () => boolean; resolve: () => void }> = [];

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<Receiver> {
    let receiver: Receiver | null = null;
    const server = createServer((req, res) => receiver!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** The next answers for `path`, in order; after them, 200. */
  script(path: string, answers: Answer[]): void {
    this.scripts.set(path, [...answers]);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `until()` holds (checked after every request); the jest timeout bounds the wait. */
  waitFor(until: () => boolean): Promise<void> {
    if (until()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ until, resolve }));
  }

  get openHungRequests(): number {
    return this.hung.filter((res) => !res.writableEnded && !res.destroyed).length;
  }

  releaseHung(): void {
    for (const res of this.hung.splice(0)) if (!res.writableEnded) res.end('late');
  }

  async stop(): Promise<void> {
    this.releaseHung();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      this.received.push({ path, headers: req.headers, body, event: JSON.parse(body) });
      const answer = this.scripts.get(path)?.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'HANG') this.hung.push(res);
      else {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      }
      for (const waiter of [...this.waiters])
        if (waiter.until()) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
    });
  }
}

export const CREATE_ENDPOINT = `mutation($url: String!, $types: [String!]!, $description: String) {
  createWebhookEndpoint(url: $url, eventTypes: $types, description: $description) {
    secret endpoint { id url eventTypes status description }
  }
}`;

export async function createEndpoint(
  t: TestApp,
  url: string,
  types: string[],
): Promise<{ id: string; secret: string }> {
  const data = await t.gqlOk<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    CREATE_ENDPOINT,
    { url, types },
  );
  return { id: data.createWebhookEndpoint.endpoint.id, secret: data.createWebhookEndpoint.secret };
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  objectId: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  attempts: Array<{
    statusCode: number | null;
    outcome: string;
    latencyMs: number;
    responseExcerpt: string | null;
  }>;
}

export async function deliveries(t: TestApp, endpointId: string, status?: string): Promise<DeliveryView[]> {
  const data = await t.gqlOk<{ webhookDeliveries: { nodes: DeliveryView[] } }>(
    `query($id: ID!, $status: WebhookDeliveryStatus) {
       webhookDeliveries(endpointId: $id, status: $status, first: 100) {
         nodes { id eventId eventType objectId status attemptCount lastStatusCode
                 attempts { statusCode outcome latencyMs responseExcerpt } }
       }
     }`,
    { id: endpointId, status },
  );
  return data.webhookDeliveries.nodes;
}

/** Polls the deliveries view until `until` holds for it (no sleeps asserted on; the jest timeout bounds it). */
export async function waitForDeliveries(
  t: TestApp,
  endpointId: string,
  until: (rows: DeliveryView[]) => boolean,
): Promise<DeliveryView[]> {
  for (;;) {
    const rows = await deliveries(t, endpointId);
    if (until(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A promotional grant through the API: records credits.granted for a new grant object. */
export async function grantCredits(
  t: TestApp,
  contractId: string,
  cents: number,
  key: string,
): Promise<string> {
  const data = await t.gqlOk<{ grantPromotionalCredits: { id: string } }>(
    `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) {
       grantPromotionalCredits(contractId: $id, input: $input) { id }
     }`,
    { id: contractId, input: { amountCents: cents, description: 'Goodwill', idempotencyKey: key } },
  );
  return data.grantPromotionalCredits.id;
}
