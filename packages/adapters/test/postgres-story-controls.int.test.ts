import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { dropSchema } from './support/postgres-inspector.js';
import { checkControlsEncrypted } from './support/story-controls-workload.js';

const postgres = await requirePostgres();
const schema = uniqueSchema();
afterAll(async () => {
  if (postgres) await dropSchema(POSTGRES_TEST_URL, schema);
});

describe.skipIf(!postgres)('story controls on encrypted PostgreSQL (issue 21)', () => {
  it('copies made by edit, regenerate, branch and import are encrypted in the rows', async () => {
    const storage = createPostgresStorage({
      connectionString: POSTGRES_TEST_URL,
      schema,
      encryptionKey: 'controls key',
    });
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await client.connect();
    try {
      await checkControlsEncrypted(storage, async (threadId) => {
        const result = await client.query(
          `SELECT content, alternatives FROM "${schema}".dd_messages WHERE thread_id = $1 ORDER BY seq`,
          [threadId],
        );
        return result.rows as Array<{ content: string; alternatives: string | null }>;
      });
    } finally {
      await client.end();
    }
  });
});
