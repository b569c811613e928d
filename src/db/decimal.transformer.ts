import type { ValueTransformer } from 'typeorm';
import { Decimal } from '../domain/money';

/** DECIMAL columns come back from mysql2 as strings; they become Decimals and go back as fixed-point strings. */
export const decimalTransformer: ValueTransformer = {
  to: (value: Decimal | null | undefined) =>
    value === null || value === undefined ? value : value.toFixed(),
  from: (value: string | null) => (value === null || value === undefined ? value : new Decimal(value)),
};

/** Column options for the three decimal kinds; the precision lives here and in the migrations only. */
export const rateColumn = {
  type: 'decimal',
  precision: 30,
  scale: 12,
  transformer: decimalTransformer,
} as const;
export const quantityColumn = {
  type: 'decimal',
  precision: 38,
  scale: 9,
  transformer: decimalTransformer,
} as const;
export const amountColumn = {
  type: 'decimal',
  precision: 30,
  scale: 12,
  transformer: decimalTransformer,
} as const;
/** Rounded money in the currency's unit (at most 3 minor digits). */
export const moneyColumn = {
  type: 'decimal',
  precision: 20,
  scale: 4,
  transformer: decimalTransformer,
} as const;
