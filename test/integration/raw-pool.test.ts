import { withTransaction } from '../../src/db/transaction';
import { RawSql, runQuery } from '../../src/services/usage';
import { TestApp } from '../support/test-app';

/**
 * RawSql reaches two TypeORM internals (the driver's pool, a transaction's driver connection): these tests
 * pin down what the usage pipeline relies on, so a driver or TypeORM upgrade that moves them fails here.
 */
describe('RawSql (statements straight on the mysql2 driver)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.db.query('CREATE TABLE raw_pool_probe (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)');
  });
  afterAll(() => t.stop());

  const connectionId = async (sql: RawSql) =>
    Number((await sql.query<Array<{ id: number }>>('SELECT CONNECTION_ID() AS id'))[0].id);
  const labels = async () =>
    ((await t.app.db.query('SELECT label FROM raw_pool_probe ORDER BY id')) as Array<{ label: string }>).map(
      (r) => r.label,
    );

  it('outside a transaction runs on the pool, with parameters, returning the driver rows and write results', async () => {
    const sql = RawSql.of(t.system);
    expect(sql).not.toBeNull();
    const rows = await sql!.query<Array<{ n: number; s: string }>>('SELECT ? + 1 AS n, ? AS s', [41, 'x']);
    expect(rows).toEqual([{ n: 42, s: 'x' }]);
    const result = await sql!.query<{ affectedRows: number }>(
      'INSERT INTO raw_pool_probe (id, label) VALUES (?, ?), (?, ?)',
      [1, 'one', 2, 'two'],
    );
    expect(result.affectedRows).toBe(2);
    expect(await labels()).toEqual(['one', 'two']); // autocommitted
  });

  it("inside a transaction runs on the transaction's own connection, so its writes commit or roll back with it", async () => {
    await expect(
      withTransaction(t.system, async (tx) => {
        const sql = RawSql.of(tx)!;
        const [{ id: managerConnection }] = (await tx.manager.query(
          'SELECT CONNECTION_ID() AS id',
        )) as Array<{
          id: number;
        }>;
        expect(await connectionId(sql)).toBe(Number(managerConnection));
        await sql.query('INSERT INTO raw_pool_probe (id, label) VALUES (?, ?)', [3, 'rolled back']);
        // Visible to the rest of the transaction, not to anyone else yet.
        expect(await tx.manager.query('SELECT label FROM raw_pool_probe WHERE id = 3')).toHaveLength(1);
        expect(await labels()).toEqual(['one', 'two']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await labels()).toEqual(['one', 'two']);

    await withTransaction(t.system, (tx) =>
      RawSql.of(tx)!.query('INSERT INTO raw_pool_probe (id, label) VALUES (?, ?)', [4, 'committed']),
    );
    expect(await labels()).toEqual(['one', 'two', 'committed']);
  });

  it("fails with the driver's error, errno on the error itself (what the deadlock retry reads)", async () => {
    const failure = RawSql.of(t.system)!.query('INSERT INTO raw_pool_probe (id, label) VALUES (1, ?)', [
      'dup',
    ]);
    await expect(failure).rejects.toMatchObject({ errno: 1062, code: 'ER_DUP_ENTRY' });
  });

  it('runQuery goes through it in and out of transactions', async () => {
    expect(await runQuery(t.system, 'SELECT COUNT(*) AS n FROM raw_pool_probe')).toEqual([{ n: '3' }]); // COUNT is a BIGINT, read as text
    const ids = await withTransaction(t.system, async (tx) => [
      await connectionId(RawSql.of(tx)!),
      Number(((await runQuery(tx, 'SELECT CONNECTION_ID() AS id')) as Array<{ id: number }>)[0].id),
    ]);
    expect(ids[1]).toBe(ids[0]);
  });
});
