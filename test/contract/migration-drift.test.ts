import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource, ensureDatabaseExists } from '../../src/db/data-source';
import { dropDatabase, testDatabaseName, testDatabaseUrl } from '../support/database';

interface DbColumn {
  name: string;
  nullable: boolean;
  dataType: string;
  precision: number | null;
  scale: number | null;
  length: number | null;
  collation: string | null;
}

const EXACT_COLLATION = 'utf8mb4_nopad_bin';

/** The SQL type family an entity column declares, in information_schema's terms. */
function expectedDataType(type: string): string[] {
  switch (type) {
    case 'json':
      return ['json', 'longtext']; // MariaDB stores JSON as LONGTEXT with a JSON_VALID check
    case 'boolean':
      return ['tinyint'];
    case 'int':
      return ['int'];
    default:
      return [type];
  }
}

/**
 * Migrations are the only way the schema changes, so entities can silently drift from the tables.
 * This builds a database from the migrations alone and checks every entity column against it: the
 * table and column exist, nullability agrees, and types (with DECIMAL precision and scale, VARCHAR
 * length) match. Indexes and foreign keys live in the migrations only and are not compared.
 */
describe('entities match the schema the migrations build', () => {
  let db: DataSource;
  const name = testDatabaseName(__filename);

  beforeAll(async () => {
    await dropDatabase(name);
    await ensureDatabaseExists(testDatabaseUrl(name));
    db = createDataSource(testDatabaseUrl(name), 2);
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(name);
  });

  it('has no pending migration after running them all', async () => {
    expect(await db.showMigrations()).toBe(false);
  });

  it('declares every entity column as the migrations created it', async () => {
    const problems: string[] = [];
    for (const entity of db.entityMetadatas) {
      const rows = (await db.query(
        `SELECT COLUMN_NAME name, IS_NULLABLE nullable, DATA_TYPE dataType, NUMERIC_PRECISION \`precision\`,
                NUMERIC_SCALE scale, CHARACTER_MAXIMUM_LENGTH length, COLLATION_NAME collation
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
        [name, entity.tableName],
      )) as Array<Omit<DbColumn, 'nullable'> & { nullable: string }>;
      if (!rows.length) {
        problems.push(`${entity.tableName}: table missing`);
        continue;
      }
      const columns = new Map(rows.map((r) => [r.name, { ...r, nullable: r.nullable === 'YES' }]));
      for (const column of entity.columns) {
        const where = `${entity.tableName}.${column.databaseName}`;
        const actual = columns.get(column.databaseName);
        if (!actual) {
          problems.push(`${where}: column missing`);
          continue;
        }
        const type = String(column.type);
        if (!expectedDataType(type).includes(actual.dataType)) {
          problems.push(`${where}: entity says ${type}, table has ${actual.dataType}`);
        }
        if (column.isNullable !== actual.nullable) {
          problems.push(`${where}: entity nullable=${column.isNullable}, table nullable=${actual.nullable}`);
        }
        if (
          type === 'decimal' &&
          (Number(actual.precision) !== column.precision || Number(actual.scale) !== column.scale)
        ) {
          problems.push(
            `${where}: entity DECIMAL(${column.precision},${column.scale}), table DECIMAL(${actual.precision},${actual.scale})`,
          );
        }
        if (
          (type === 'varchar' || type === 'char') &&
          column.length &&
          Number(actual.length) !== Number(column.length)
        ) {
          problems.push(`${where}: entity length ${column.length}, table ${actual.length}`);
        }
        // Exact-compare (NO PAD) columns must say so in the entity, and the entity must not claim it falsely.
        const declared = column.collation ?? null;
        if (
          (type === 'varchar' || type === 'char') &&
          (declared !== null || actual.collation === EXACT_COLLATION) &&
          declared !== actual.collation
        ) {
          problems.push(`${where}: entity collation ${declared ?? 'default'}, table ${actual.collation}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('never leaves a money, rate or quantity column at TypeORM’s DECIMAL(10,0) default', async () => {
    const rows = (await db.query(
      `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) col FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND DATA_TYPE = 'decimal' AND NUMERIC_SCALE = 0`,
      [name],
    )) as Array<{ col: string }>;
    expect(rows.map((r) => r.col)).toEqual([]);
  });
});
