import { isEmail } from 'class-validator';
import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../domain/errors';
import { AccountContactsEntity } from '../../entities/account-contacts.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { optionalText, requiredText } from '../common';

export interface Contact {
  name: string;
  email: string | null;
  phone: string | null;
}

export interface AccountContacts {
  customerId: string;
  accountManager: Contact | null;
  supportContact: Contact | null;
  updatedAt: Date | null;
}

export interface ContactInput {
  name: string;
  email?: string | null;
  phone?: string | null;
}

/** Absent fields stay as they are; null clears the contact. */
export interface UpdateAccountContactsInput {
  accountManager?: ContactInput | null;
  supportContact?: ContactInput | null;
}

const PHONE = /^[+0-9 ().-]{3,40}$/;

/** Account management for in-app screens: who the customer's account manager and support contact are. */
export class AccountService {
  async getContacts(ctx: RequestContext, customerId: string): Promise<AccountContacts> {
    await this.requireCustomer(ctx, customerId);
    const row = await ctx
      .repo(AccountContactsEntity)
      .findOne({ where: { environmentId: ctx.environmentId, customerId } });
    return toContacts(customerId, row);
  }

  /** An upsert keyed by the customer: repeating it changes nothing more (naturally idempotent). */
  async updateContacts(
    ctx: RequestContext,
    customerId: string,
    input: UpdateAccountContactsInput,
  ): Promise<AccountContacts> {
    const manager =
      input.accountManager === undefined
        ? undefined
        : checkContact(input.accountManager, 'input.accountManager');
    const support =
      input.supportContact === undefined
        ? undefined
        : checkContact(input.supportContact, 'input.supportContact');
    await this.requireCustomer(ctx, customerId);
    const repo = ctx.repo(AccountContactsEntity);
    const existing = await repo.findOne({ where: { environmentId: ctx.environmentId, customerId } });
    const row = repo.create({
      accountManagerName: null,
      accountManagerEmail: null,
      accountManagerPhone: null,
      supportName: null,
      supportEmail: null,
      supportPhone: null,
      ...(existing ?? {}),
      environmentId: ctx.environmentId,
      customerId,
      updatedAt: ctx.now(),
    });
    if (manager !== undefined) {
      row.accountManagerName = manager?.name ?? null;
      row.accountManagerEmail = manager?.email ?? null;
      row.accountManagerPhone = manager?.phone ?? null;
    }
    if (support !== undefined) {
      row.supportName = support?.name ?? null;
      row.supportEmail = support?.email ?? null;
      row.supportPhone = support?.phone ?? null;
    }
    await repo.save(row);
    return toContacts(customerId, row);
  }

  private async requireCustomer(ctx: RequestContext, customerId: string): Promise<void> {
    const customer = await ctx
      .repo(CustomerEntity)
      .findOne({ where: { id: customerId, environmentId: ctx.environmentId } });
    if (!customer || (ctx.portalCustomerId && ctx.portalCustomerId !== customerId)) {
      throw notFound('Customer', customerId, 'customerId');
    }
  }
}

function checkContact(input: ContactInput | null, field: string): Contact | null {
  if (input === null) return null;
  const email = optionalText(input.email, `${field}.email`, 320);
  if (email !== null && !isEmail(email)) throw badInput(`${field}.email`, 'must be a valid email address');
  const phone = optionalText(input.phone, `${field}.phone`, 40);
  if (phone !== null && !PHONE.test(phone)) throw badInput(`${field}.phone`, 'must be a phone number');
  return { name: requiredText(input.name, `${field}.name`, 200), email, phone };
}

function toContacts(customerId: string, row: AccountContactsEntity | null): AccountContacts {
  const contact = (
    name: string | null | undefined,
    email: string | null | undefined,
    phone: string | null | undefined,
  ) => (name ? { name, email: email ?? null, phone: phone ?? null } : null);
  return {
    customerId,
    accountManager: contact(row?.accountManagerName, row?.accountManagerEmail, row?.accountManagerPhone),
    supportContact: contact(row?.supportName, row?.supportEmail, row?.supportPhone),
    updatedAt: row?.updatedAt ?? null,
  };
}
