import { Foundation1763700000000 } from './1763700000000-foundation';
import { ContractsInvoices1763700200000 } from './1763700200000-contracts-invoices';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works under ts-jest,
 * ts-node and the compiled build. Migrations never import from src/.
 */
export const MIGRATIONS = [Foundation1763700000000, ContractsInvoices1763700200000];
