import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import pg from 'pg';
import { describe } from 'vitest';
import { type Checkpointer, validateCheckpointer } from '../support/checkpoint-validation.js';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../support/postgres.js';

// LangGraph's validation suite against the checkpointer createPostgresStorage returns, plain and
// with encryptionKey, each in a schema of its own on the test server (emptied for every new
// checkpointer, dropped at the end). No skip applies to PostgresSaver.
const KEY = { current: { id: 'validation', key: 'a passphrase for the validation suite' } };
const available = await requirePostgres();

describe.skipIf(!available)('postgres checkpointers', () => {
  for (const encryptionKey of [undefined, KEY]) {
    const schema = uniqueSchema('dd_validate');
    const open = new Map<Checkpointer, PostgresStorage>();
    validateCheckpointer({
      label: `createPostgresStorage({ schema${encryptionKey ? ', encryptionKey' : ''} }).checkpointer`,
      upstreamName: '@langchain/langgraph-checkpoint-postgres',
      async create() {
        const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema, encryptionKey });
        await storage.init();
        await storage.pool.query(
          `TRUNCATE "${schema}".checkpoints, "${schema}".checkpoint_blobs, "${schema}".checkpoint_writes`,
        );
        open.set(storage.checkpointer, storage);
        return storage.checkpointer;
      },
      async destroy(checkpointer) {
        await open.get(checkpointer)?.close();
        open.delete(checkpointer);
      },
      async afterAll() {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    });
  }
});
