import type { WebSocket } from 'ws';
import { PubSub } from '../../src/services/common';
import {
  API_KEY_REVOKED_TOPIC,
  PORTAL_TOKENS_REVOKED_TOPIC,
  type Principal,
} from '../../src/services/platform';
import { SocketRevocations } from '../../src/socket-revocations';

const portal = (customerId: string, generation: number): Principal => ({
  environmentId: 'env_1',
  organizationId: 'org_1',
  caller: { kind: 'PORTAL', customerId },
  portalTokenGeneration: generation,
});
const apiKey = (apiKeyId: string): Principal => ({
  environmentId: 'env_1',
  organizationId: 'org_1',
  caller: { kind: 'API_KEY', apiKeyId },
});

/**
 * Which sockets a revocation closes. The end-to-end path (GraphQL mutation → pub/sub over Redis → 4403 on
 * every instance) is tested in edge-ws-portal-revocation; here, the case it cannot reach on purpose: a
 * socket that finishes authenticating just after the revocation message went by.
 */
describe('SocketRevocations', () => {
  let pubsub: PubSub;
  let sockets: WebSocket[];
  let closed: Array<{ socket: WebSocket; reason: string }>;
  let revocations: SocketRevocations;
  const socket = () => ({}) as WebSocket;

  beforeEach(() => {
    pubsub = new PubSub();
    sockets = [];
    closed = [];
    revocations = new SocketRevocations(
      pubsub,
      () => sockets,
      (s, reason) => closed.push({ socket: s, reason }),
    );
  });
  afterEach(() => revocations.dispose());

  it("closes the revoked customer's sockets of earlier generations only", async () => {
    const [old, fresh, other, operator] = [socket(), socket(), socket(), socket()];
    sockets.push(old, fresh, other, operator);
    revocations.register(old, portal('cus_a', 0));
    revocations.register(fresh, portal('cus_a', 1));
    revocations.register(other, portal('cus_b', 0));
    revocations.register(operator, apiKey('key_1'));

    // Generation 1 is current: tokens of generation 0 are revoked.
    await pubsub.publish(PORTAL_TOKENS_REVOKED_TOPIC, {
      environmentId: 'env_1',
      customerId: 'cus_a',
      generation: 1,
    });
    expect(closed.map((c) => c.socket)).toEqual([old]);
    expect(closed[0].reason).toBe('Forbidden: the customer token has been revoked');

    await pubsub.publish(API_KEY_REVOKED_TOPIC, { environmentId: 'env_1', apiKeyId: 'key_1' });
    expect(closed.map((c) => c.socket)).toEqual([old, operator]);
  });

  it('refuses a socket that registers after the revocation of its credential went by', async () => {
    await pubsub.publish(PORTAL_TOKENS_REVOKED_TOPIC, {
      environmentId: 'env_1',
      customerId: 'cus_a',
      generation: 2,
    });
    await pubsub.publish(API_KEY_REVOKED_TOPIC, { environmentId: 'env_1', apiKeyId: 'key_1' });
    expect(revocations.register(socket(), portal('cus_a', 1))).toBe(
      'Forbidden: the customer token has been revoked',
    );
    expect(revocations.register(socket(), apiKey('key_1'))).toBe('Forbidden: the API key has been revoked');
    // The new generation, another customer, another environment and another key are not affected.
    expect(revocations.register(socket(), portal('cus_a', 2))).toBeNull();
    expect(revocations.register(socket(), portal('cus_b', 0))).toBeNull();
    expect(revocations.register(socket(), { ...portal('cus_a', 0), environmentId: 'env_2' })).toBeNull();
    expect(revocations.register(socket(), apiKey('key_2'))).toBeNull();
  });
});
