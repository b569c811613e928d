import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { Logger } from './logger';

/** Time comes from here in business code, so tests can travel in time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who is calling. API keys act on a whole environment; portal tokens on one customer of it. */
export type Caller =
  | { kind: 'API_KEY'; apiKeyId: string }
  | { kind: 'PORTAL'; customerId: string }
  | { kind: 'SYSTEM'; name: string };

/** Work queued by a transaction to run only once it has committed (publishing, waking workers). */
export class TransactionState {
  private readonly hooks: Array<() => unknown> = [];
  afterCommit(hook: () => unknown): void {
    this.hooks.push(hook);
  }
  drain(): Array<() => unknown> {
    return this.hooks.splice(0);
  }
}

/**
 * The first argument of every service method: the caller's environment, who the caller is,
 * the clock, and the entity manager to use (the transaction's, when inside one).
 */
export class RequestContext {
  constructor(
    readonly db: DataSource,
    readonly environmentId: string,
    readonly organizationId: string,
    readonly caller: Caller,
    readonly clock: Clock,
    readonly log: Logger,
    readonly requestId: string,
    readonly manager: EntityManager = db.manager,
    readonly transaction: TransactionState | null = null,
  ) {}

  repo<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(entity);
  }

  now(): Date {
    return this.clock.now();
  }

  /** Runs `hook` after the surrounding transaction commits, or at once outside a transaction. */
  afterCommit(hook: () => unknown): void {
    if (this.transaction) this.transaction.afterCommit(hook);
    else void Promise.resolve().then(hook);
  }

  inTransaction(manager: EntityManager, transaction: TransactionState): RequestContext {
    return new RequestContext(
      this.db,
      this.environmentId,
      this.organizationId,
      this.caller,
      this.clock,
      this.log,
      this.requestId,
      manager,
      transaction,
    );
  }

  /** The same caller acting in another environment (used when creating sandboxes). */
  forEnvironment(environmentId: string, organizationId = this.organizationId): RequestContext {
    return new RequestContext(
      this.db,
      environmentId,
      organizationId,
      this.caller,
      this.clock,
      this.log,
      this.requestId,
      this.manager,
      this.transaction,
    );
  }

  get portalCustomerId(): string | null {
    return this.caller.kind === 'PORTAL' ? this.caller.customerId : null;
  }
}
