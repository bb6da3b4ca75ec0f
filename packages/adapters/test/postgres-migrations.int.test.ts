import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../src/postgres/postgres-migrations.js';
import { withTransaction } from '../src/postgres/transaction.js';
import { dropSchema } from './support/postgres-inspector.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) for (const name of schemas) await dropSchema(POSTGRES_TEST_URL, name);
});

const first = (s: string) => `CREATE TABLE ${s}.first_table (id INTEGER PRIMARY KEY)`;
const broken = (s: string) => `CREATE TABLE ${s}.half_done (id INTEGER PRIMARY KEY); SELECT 1 / 0`;
const mended = (s: string) => `CREATE TABLE ${s}.half_done (id INTEGER PRIMARY KEY)`;

describe.skipIf(!postgres)('postgres: migrations and transactions', () => {
  // Broke: the migration loop ran BEGIN … COMMIT by hand with no ROLLBACK, so a failing migration
  // returned its client to the pool inside an aborted transaction, still holding the advisory lock
  // (its unlock failed too): every later query on that client failed, and every retry of init() hung.
  it('a failed migration is rolled back before its client returns to the pool, and the lock is freed', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    // one client only: whatever the failed migration left on it, the next query meets
    const pool = new pg.Pool({ connectionString: POSTGRES_TEST_URL, max: 1 });
    try {
      const failed = await migratePostgres({ pool, schema, migrations: [first, broken] }).catch((e: unknown) => e);
      expect((failed as { code?: string }).code).toBe('22012'); // division_by_zero

      // the pooled client is usable: not inside an aborted transaction (25P02)
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const tables = await pool.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
        schema,
      ]);
      expect(tables.rows.map((row) => row.table_name).sort()).toEqual(['dd_migrations', 'first_table']);
      const versions = await pool.query(`SELECT version FROM "${schema}".dd_migrations ORDER BY version`);
      expect(versions.rows).toEqual([{ version: 1 }]);

      // the advisory lock is free: another session takes it at once
      const other = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await other.connect();
      try {
        const lock = `dreamdeck:migrate:${schema}`;
        const { rows } = await other.query('SELECT pg_try_advisory_lock(hashtext($1)) AS taken', [lock]);
        expect(rows).toEqual([{ taken: true }]);
        await other.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      } finally {
        await other.end();
      }

      // and a later run picks up where the failed one stopped
      await migratePostgres({ pool, schema, migrations: [first, mended] });
      const after = await pool.query(`SELECT version FROM "${schema}".dd_migrations ORDER BY version`);
      expect(after.rows).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      await pool.end();
    }
  });

  // Broke: dd_leases was a logged table, so taking and releasing a turn's lease waited for two WAL
  // flushes (6.5 ms per turn on a local server with fsync on; 0.6 ms unlogged)
  it('the real migrations leave the short-lived tables (leases, turn events) unlogged and the story tables logged', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const pool = new pg.Pool({ connectionString: POSTGRES_TEST_URL, max: 1 });
    try {
      await migratePostgres({ pool, schema, migrations: POSTGRES_MIGRATIONS });
      const { rows } = await pool.query(
        `SELECT c.relname, c.relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname IN ('dd_leases', 'dd_turn_events', 'dd_messages') ORDER BY c.relname`,
        [schema],
      );
      expect(rows).toEqual([
        { relname: 'dd_leases', relpersistence: 'u' },
        { relname: 'dd_messages', relpersistence: 'p' },
        { relname: 'dd_turn_events', relpersistence: 'u' },
      ]);
    } finally {
      await pool.end();
    }
  });

  it('withTransaction commits what its body wrote, and rolls everything back when the body throws', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const pool = new pg.Pool({ connectionString: POSTGRES_TEST_URL, max: 1 });
    try {
      await pool.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".items (name TEXT)`);
      expect(
        await withTransaction(pool, async (client) => {
          await client.query(`INSERT INTO "${schema}".items VALUES ('kept')`);
          return 'done';
        }),
      ).toBe('done');
      const failure = new Error('the body failed');
      const thrown = await withTransaction(pool, async (client) => {
        await client.query(`INSERT INTO "${schema}".items VALUES ('dropped')`);
        throw failure;
      }).catch((e: unknown) => e);
      expect(thrown).toBe(failure);
      const { rows } = await pool.query(`SELECT name FROM "${schema}".items`);
      expect(rows).toEqual([{ name: 'kept' }]);
      // the one pooled client is out of the transaction
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
