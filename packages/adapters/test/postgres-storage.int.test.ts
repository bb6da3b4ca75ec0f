import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import { describeStorageAdapter } from '@dreamdeck/core/testing';
import { describe } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { dropSchema, postgresInspector } from './support/postgres-inspector.js';
import { spawnLeaseHolder } from './support/spawn-lease-holder.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres)('postgres', () => {
  describeStorageAdapter<PostgresStorage>({
    name: 'postgres',
    create: () => createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema: uniqueSchema() }),
    inspect: (adapter) => postgresInspector(adapter),
    spawnLeaseHolder: (adapter, lease) => spawnLeaseHolder(['postgres', POSTGRES_TEST_URL, adapter.schema], lease),
    destroy: (adapter) => dropSchema(POSTGRES_TEST_URL, adapter.schema),
  });

  const key = { current: { id: 'k2', key: 'a new passphrase' }, previous: ['an old passphrase'] };
  describeStorageAdapter<PostgresStorage>({
    name: 'postgres (encrypted)',
    create: () =>
      createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema: uniqueSchema(), encryptionKey: key }),
    inspect: (adapter) => postgresInspector(adapter, key),
    spawnLeaseHolder: (adapter, lease) => spawnLeaseHolder(['postgres', POSTGRES_TEST_URL, adapter.schema], lease),
    destroy: (adapter) => dropSchema(POSTGRES_TEST_URL, adapter.schema),
  });
});
