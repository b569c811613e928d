/** Shared column shapes so every entity agrees with the migrations. */
export const idColumn = { type: 'varchar', length: 40 } as const;
export const timestampColumn = { type: 'datetime', precision: 3 } as const;
export const nullableTimestampColumn = { type: 'datetime', precision: 3, nullable: true } as const;
