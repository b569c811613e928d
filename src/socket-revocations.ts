import type { WebSocket } from 'ws';
import type { PubSub } from './services/common';
import {
  API_KEY_REVOKED_TOPIC,
  isRevokedBy,
  PORTAL_TOKENS_REVOKED_TOPIC,
  type Principal,
} from './services/platform';

type Revocation = { revokes: (principal: Principal) => boolean; reason: string; at: number };

/**
 * A revocation is remembered this long: enough to cover a socket whose credential was read before the
 * revocation committed but that registers after the message arrived (authentication takes milliseconds).
 */
const RECENT_MS = 30_000;

/**
 * Ends the WebSockets whose credential is revoked while they are open: an API key revoked, a customer's
 * portal tokens revoked or rotated (sockets of the new token stay open). Revocations come through the
 * pub/sub, so a revocation made on any instance reaches every instance (over Redis when configured).
 */
export class SocketRevocations {
  private readonly principals = new WeakMap<WebSocket, Principal>();
  private recent: Revocation[] = [];
  private readonly unsubscribe: Array<() => void>;

  constructor(
    pubsub: PubSub,
    private readonly sockets: () => Iterable<WebSocket>,
    private readonly close: (socket: WebSocket, reason: string) => void,
  ) {
    this.unsubscribe = [
      pubsub.subscribe(API_KEY_REVOKED_TOPIC, (payload) => {
        const apiKeyId = (payload as { apiKeyId?: unknown } | null)?.apiKeyId;
        this.revoke(
          (p) => p.caller.kind === 'API_KEY' && p.caller.apiKeyId === apiKeyId,
          'Forbidden: the API key has been revoked',
        );
      }),
      pubsub.subscribe(PORTAL_TOKENS_REVOKED_TOPIC, (payload) =>
        this.revoke((p) => isRevokedBy(p, payload), 'Forbidden: the customer token has been revoked'),
      ),
    ];
  }

  /**
   * Tracks an authenticated socket. Returns the reason when a revocation that arrived while the socket was
   * authenticating already covers its credential (the caller then refuses the connection), else null.
   */
  register(socket: WebSocket, principal: Principal): string | null {
    const revoked = this.recent.find((r) => r.revokes(principal));
    if (revoked) return revoked.reason;
    this.principals.set(socket, principal);
    return null;
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
  }

  private revoke(revokes: (principal: Principal) => boolean, reason: string): void {
    const now = Date.now();
    this.recent = [...this.recent.filter((r) => now - r.at < RECENT_MS), { revokes, reason, at: now }];
    for (const socket of this.sockets()) {
      const principal = this.principals.get(socket);
      if (principal && revokes(principal)) this.close(socket, reason);
    }
  }
}
