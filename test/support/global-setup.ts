import { withServerConnection, TEST_SERVER_URL } from './database';

/** Fails fast, with a clear message, when the test database server is not reachable. */
export default async function globalSetup(): Promise<void> {
  try {
    await withServerConnection((conn) => conn.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `Cannot reach the test database at ${TEST_SERVER_URL} (${(error as Error).message}). ` +
        'Run `bash scripts/ensure-services.sh` or set TEST_DATABASE_URL.',
    );
  }
}
