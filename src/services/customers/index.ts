/**
 * Customers: the billed parties of an environment and their account contacts.
 * Other folders import this feature only through this file.
 */
export { AccountService } from './account.service';
export { CustomerService } from './customer.service';
export type { CreateCustomerInput } from './customer.service';
