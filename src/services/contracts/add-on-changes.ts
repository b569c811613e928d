import type { RequestContext } from '../../context';
import { badInput, conflict } from '../../domain/errors';
import { Decimal } from '../../domain/money';
import { checkDecimal, POSITIVE_QUANTITY_RULE } from '../common';
import type {
  AddAddOnInput,
  ApplyChange,
  ChangeQuantityInput,
  RemoveAddOnInput,
} from './contract-change-inputs';
import type { ContractChangeTiming } from './contract-change-timing';
import {
  activeAt,
  endItem,
  getPricing,
  insertItems,
  nextPosition,
  pricingsById,
  rejectLaterChanges,
} from './contract-item-changes';

/**
 * A customer (portal token) picks seat counts: whole numbers from 1. Fractions are an operator's call;
 * from a customer they would cut a fee to a sliver of its price (the plan's base fee × 0.001).
 */
function checkCustomerQuantity(tx: RequestContext, quantity: Decimal): void {
  if (tx.caller.kind === 'PORTAL' && (!quantity.isInteger() || quantity.lt(1))) {
    throw badInput('quantity', 'must be a whole number of 1 or more');
  }
}

/** Adds a recurring add-on (a flat fee with seats, or a usage pricing for a meter the contract does not price). */
export function addAddOn(timing: ContractChangeTiming, input: AddAddOnInput): ApplyChange {
  return async (tx, contract, items) => {
    const pricing = await getPricing(tx, input.pricingId);
    let quantity = new Decimal(1);
    if (input.quantity !== null && input.quantity !== undefined) {
      quantity = checkDecimal(input.quantity, 'quantity', POSITIVE_QUANTITY_RULE);
      checkCustomerQuantity(tx, quantity);
      if (pricing.kind === 'USAGE' && !quantity.eq(1)) {
        throw badInput('quantity', 'usage add-ons are billed by usage; quantity applies to flat fees only');
      }
    }
    const at = await timing.resolveInstant(tx, contract, input);
    rejectLaterChanges(items, at);
    const active = items.filter((i) => activeAt(i, at));
    if (active.some((i) => i.pricingId === pricing.id)) {
      throw conflict(
        `${pricing.name} is already on contract ${contract.id}; use changeQuantity to change seats`,
        'pricingId',
      );
    }
    if (pricing.meterId) {
      const pricings = await pricingsById(
        tx,
        active.map((i) => i.pricingId),
      );
      if (active.some((i) => pricings.get(i.pricingId)?.meterId === pricing.meterId)) {
        throw conflict(`The contract already prices the meter of ${pricing.name}`, 'pricingId');
      }
    }
    await insertItems(tx, contract, [
      {
        planId: null,
        pricingId: pricing.id,
        position: nextPosition(items),
        quantity,
        isAddOn: true,
        startsAt: at,
      },
    ]);
    return {
      kind: 'ADD_ON_ADDED',
      effectiveAt: at,
      details: {
        pricingId: pricing.id,
        pricingName: pricing.name,
        quantity: quantity.toFixed(),
        timing: input.timing ?? 'IMMEDIATE',
      },
      crmType: 'Add-On',
      crmDescription: `Add-on ${pricing.name} × ${quantity.toFixed()} from ${at.toISOString()}`,
    };
  };
}

/** Ends an add-on (plan items change with the plan only). */
export function removeAddOn(timing: ContractChangeTiming, input: RemoveAddOnInput): ApplyChange {
  return async (tx, contract, items) => {
    const pricing = await getPricing(tx, input.pricingId);
    const at = await timing.resolveInstant(tx, contract, input);
    rejectLaterChanges(items, at);
    const item = items.find((i) => i.pricingId === pricing.id && activeAt(i, at));
    if (!item)
      throw badInput('pricingId', `${pricing.name} is not on contract ${contract.id} at ${at.toISOString()}`);
    if (!item.isAddOn) {
      throw badInput('pricingId', `${pricing.name} is part of the contract's plan; change the plan instead`);
    }
    await endItem(tx, item, at);
    return {
      kind: 'ADD_ON_REMOVED',
      effectiveAt: at,
      details: { pricingId: pricing.id, pricingName: pricing.name, timing: input.timing ?? 'IMMEDIATE' },
      crmType: 'Add-On Removal',
      crmDescription: `Add-on ${pricing.name} removed from ${at.toISOString()}`,
    };
  };
}

/** Changes the seats of a flat fee on the contract (plan item or add-on). */
export function changeQuantity(timing: ContractChangeTiming, input: ChangeQuantityInput): ApplyChange {
  return async (tx, contract, items) => {
    const quantity = checkDecimal(input.quantity, 'quantity', POSITIVE_QUANTITY_RULE);
    checkCustomerQuantity(tx, quantity);
    const pricing = await getPricing(tx, input.pricingId);
    if (pricing.kind !== 'FLAT_FEE') {
      throw badInput(
        'pricingId',
        `${pricing.name} is billed by usage; quantities apply to flat fees (seats)`,
      );
    }
    const at = await timing.resolveInstant(tx, contract, input);
    rejectLaterChanges(items, at);
    const item = items.find((i) => i.pricingId === pricing.id && activeAt(i, at));
    if (!item)
      throw badInput('pricingId', `${pricing.name} is not on contract ${contract.id} at ${at.toISOString()}`);
    if (item.quantity.eq(quantity))
      throw badInput('quantity', `The quantity is already ${quantity.toFixed()}`);
    await endItem(tx, item, at);
    await insertItems(tx, contract, [
      {
        planId: item.planId,
        pricingId: item.pricingId,
        position: item.position,
        quantity,
        isAddOn: item.isAddOn,
        startsAt: at,
      },
    ]);
    const up = quantity.gt(item.quantity);
    return {
      kind: 'QUANTITY_CHANGED',
      effectiveAt: at,
      details: {
        pricingId: pricing.id,
        pricingName: pricing.name,
        fromQuantity: item.quantity.toFixed(),
        toQuantity: quantity.toFixed(),
        timing: input.timing ?? 'IMMEDIATE',
      },
      crmType: up ? 'Upsell' : 'Downsell',
      crmDescription: `${pricing.name}: ${item.quantity.toFixed()} → ${quantity.toFixed()} from ${at.toISOString()}`,
    };
  };
}
