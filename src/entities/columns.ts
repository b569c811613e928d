/** Shared column shapes so every entity agrees with the migrations. */
export const idColumn = { type: 'varchar', length: 40 } as const;
export const timestampColumn = { type: 'datetime', precision: 3 } as const;
export const nullableTimestampColumn = { type: 'datetime', precision: 3, nullable: true } as const;
/**
 * Keys, codes and dimension values compare byte for byte, trailing spaces included: utf8mb4_bin is PAD
 * SPACE in MariaDB ("k" and "k " would be one key), utf8mb4_nopad_bin is not.
 */
export const exactText = { collation: 'utf8mb4_nopad_bin' } as const;
