import { isEmail } from 'class-validator';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { CustomerEntity } from '../../entities/customer.entity';
import { isDuplicateKeyError, optionalText, requiredText } from '../common';
import { pageById, type Page, type PageArgs } from '../common';

/** Salesforce record ids are 15 (case-sensitive) or 18 (case-safe) alphanumeric characters. */
const SALESFORCE_ID_PATTERN = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
/** External ids travel in event payloads and URLs: printable, no whitespace. */
const EXTERNAL_ID_PATTERN = /^[\x21-\x7E]{1,200}$/;

export interface CreateCustomerInput {
  name: string;
  externalId?: string | null;
  email?: string | null;
  salesforceAccountId?: string | null;
}

/** Absent (undefined) fields stay as they are; null clears an optional field. */
export interface UpdateCustomerInput {
  name?: string | null;
  externalId?: string | null;
  email?: string | null;
  salesforceAccountId?: string | null;
}

export interface CustomerListArgs extends PageArgs {
  /** Case-insensitive prefix of the name, email or external id. */
  search?: string | null;
}

type CustomerFields = Pick<CustomerEntity, 'name' | 'externalId' | 'email' | 'salesforceAccountId'>;

export class CustomerService {
  async create(ctx: RequestContext, input: CreateCustomerInput): Promise<CustomerEntity> {
    const fields: CustomerFields = {
      name: requiredText(input.name, 'input.name', 200),
      externalId: this.checkExternalId(input.externalId),
      email: this.checkEmail(input.email),
      salesforceAccountId: this.checkSalesforceId(input.salesforceAccountId),
    };
    return withTransaction(ctx, async (tx) => {
      await this.rejectTaken(tx, fields, null);
      const now = tx.now();
      const customer = tx.repo(CustomerEntity).create({
        id: newId('cus'),
        environmentId: tx.environmentId,
        ...fields,
        createdAt: now,
        updatedAt: now,
      });
      await this.write(() => tx.repo(CustomerEntity).insert(customer), fields);
      return customer;
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateCustomerInput): Promise<CustomerEntity> {
    const changes: Partial<CustomerFields> = {};
    if (input.name !== undefined) changes.name = requiredText(input.name, 'input.name', 200);
    if (input.externalId !== undefined) changes.externalId = this.checkExternalId(input.externalId);
    if (input.email !== undefined) changes.email = this.checkEmail(input.email);
    if (input.salesforceAccountId !== undefined) {
      changes.salesforceAccountId = this.checkSalesforceId(input.salesforceAccountId);
    }
    return withTransaction(ctx, async (tx) => {
      const customer = await tx.repo(CustomerEntity).findOne({
        where: { id, environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!customer) throw notFound('Customer', id);
      await this.rejectTaken(tx, changes, customer.id);
      Object.assign(customer, changes, { updatedAt: tx.now() });
      await this.write(
        () =>
          tx.repo(CustomerEntity).update({ id: customer.id }, { ...changes, updatedAt: customer.updatedAt }),
        changes,
      );
      return customer;
    });
  }

  async findById(ctx: RequestContext, id: string): Promise<CustomerEntity | null> {
    return ctx.repo(CustomerEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<CustomerEntity> {
    const customer = await this.findById(ctx, id);
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  async findByExternalId(ctx: RequestContext, externalId: string): Promise<CustomerEntity | null> {
    return ctx.repo(CustomerEntity).findOne({ where: { externalId, environmentId: ctx.environmentId } });
  }

  async getByExternalIdOrThrow(ctx: RequestContext, externalId: string): Promise<CustomerEntity> {
    const customer = await this.findByExternalId(ctx, externalId);
    if (!customer) throw notFound('Customer with external id', externalId);
    return customer;
  }

  async list(ctx: RequestContext, args: CustomerListArgs): Promise<Page<CustomerEntity>> {
    const qb = ctx
      .repo(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.environment_id = :env', { env: ctx.environmentId });
    const search = (args.search ?? '').trim();
    if (search) {
      if (search.length > 200) throw badInput('search', 'must be at most 200 characters');
      // `name` has a case-insensitive collation (and an index); email and external id are binary, so lower both sides.
      const prefix = `${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        '(c.name LIKE :prefix OR LOWER(c.email) LIKE LOWER(:prefix) OR LOWER(c.external_id) LIKE LOWER(:prefix))',
        { prefix },
      );
    }
    return pageById(qb, args);
  }

  private checkExternalId(value: string | null | undefined): string | null {
    const externalId = optionalText(value, 'input.externalId', 200);
    if (externalId !== null && !EXTERNAL_ID_PATTERN.test(externalId)) {
      throw badInput('input.externalId', 'must be printable ASCII without spaces');
    }
    return externalId;
  }

  private checkEmail(value: string | null | undefined): string | null {
    const email = optionalText(value, 'input.email', 320);
    if (email !== null && !isEmail(email)) throw badInput('input.email', 'must be a valid email address');
    return email;
  }

  private checkSalesforceId(value: string | null | undefined): string | null {
    const id = optionalText(value, 'input.salesforceAccountId', 18);
    if (id !== null && !SALESFORCE_ID_PATTERN.test(id)) {
      throw badInput('input.salesforceAccountId', 'must be a 15 or 18 character Salesforce id');
    }
    return id;
  }

  /** Friendly CONFLICT before writing; the unique keys still guard against concurrent writers (see `write`). */
  private async rejectTaken(tx: RequestContext, fields: Partial<CustomerFields>, selfId: string | null) {
    const repo = tx.repo(CustomerEntity);
    if (fields.externalId) {
      const other = await repo.findOne({
        where: { environmentId: tx.environmentId, externalId: fields.externalId },
      });
      if (other && other.id !== selfId) {
        throw conflict(
          `Customer ${other.id} already has external id ${fields.externalId}`,
          'input.externalId',
        );
      }
    }
    if (fields.salesforceAccountId) {
      const other = await repo.findOne({
        where: { environmentId: tx.environmentId, salesforceAccountId: fields.salesforceAccountId },
      });
      if (other && other.id !== selfId) {
        throw conflict(
          `Customer ${other.id} is already linked to Salesforce account ${fields.salesforceAccountId}`,
          'input.salesforceAccountId',
        );
      }
    }
  }

  private async write(work: () => Promise<unknown>, fields: Partial<CustomerFields>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isDuplicateKeyError(error, 'uq_customers_external_id')) {
        throw conflict(`Another customer already has external id ${fields.externalId}`, 'input.externalId');
      }
      if (isDuplicateKeyError(error, 'uq_customers_sf_account')) {
        throw conflict(
          `Another customer is already linked to Salesforce account ${fields.salesforceAccountId}`,
          'input.salesforceAccountId',
        );
      }
      throw error;
    }
  }
}
