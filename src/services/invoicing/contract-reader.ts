import type { RequestContext } from '../../context';
import type { ContractEntity } from '../../entities/contract.entity';

/**
 * What invoicing reads of contracts. The contracts feature implements it (its ContractService) and the
 * composition root wires it in: contracts depend on invoicing (they cut and regenerate period invoices),
 * so invoicing must not depend back on contracts.
 */
export interface ContractReader {
  getByIdOrThrow(ctx: RequestContext, id: string, field?: string): Promise<ContractEntity>;
  /** The customer's contracts in force at `at`. */
  listActiveAt(ctx: RequestContext, customerId: string, at: Date): Promise<ContractEntity[]>;
}
