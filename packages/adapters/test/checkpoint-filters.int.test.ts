import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { assertListFilters, assertStateHistoryFilters, SECRET } from './support/checkpoint-filters.js';
import { dropSchema } from './support/postgres-inspector.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) for (const schema of schemas) await dropSchema(POSTGRES_TEST_URL, schema);
});

describe.skipIf(!postgres)('postgres checkpointer filters', () => {
  for (const encryptionKey of [undefined, { current: { id: 'filters', key: '7'.repeat(64) } }]) {
    const label = encryptionKey ? 'encrypted' : 'plain';

    it(`${label}: list({ filter }) and getStateHistory({ filter }) answer on any metadata key`, async () => {
      const schema = uniqueSchema('dd_filters');
      schemas.push(schema);
      const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema, encryptionKey });
      await storage.init();
      const listed = await assertListFilters(storage.checkpointer);
      await assertStateHistoryFilters(storage.checkpointer);
      const { rows } = await storage.pool.query<{ metadata: Record<string, unknown> }>(
        `SELECT metadata FROM "${schema}".checkpoints WHERE thread_id = $1`,
        [listed],
      );
      expect(rows.length).toBe(3);
      for (const { metadata } of rows) {
        expect(Object.keys(metadata).sort()).toEqual(
          encryptionKey
            ? ['__dreamdeck_encrypted', 'parents', 'source', 'step']
            : ['parents', 'player', 'source', 'step'],
        );
      }
      const { rows: dump } = await storage.pool.query<{ text: string }>(
        `SELECT string_agg(t::text, ' ') AS text FROM (
           SELECT metadata::text FROM "${schema}".checkpoints UNION ALL
           SELECT convert_from(blob, 'UTF8') FROM "${schema}".checkpoint_blobs UNION ALL
           SELECT convert_from(blob, 'UTF8') FROM "${schema}".checkpoint_writes) t`,
      );
      expect(dump[0]?.text.includes(SECRET)).toBe(!encryptionKey);
      await storage.close();
    });
  }
});
