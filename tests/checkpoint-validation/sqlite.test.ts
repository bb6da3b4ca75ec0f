import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import { type Checkpointer, validateCheckpointer } from '../support/checkpoint-validation.js';

// LangGraph's validation suite against the checkpointer createSqliteStorage returns, plain and with
// encryptionKey, each on a fresh in-memory database. Known skip kept (upstream's, for SqliteSaver):
// "should only store channel_values that have changed (based on newVersions)": SqliteSaver stores
// the whole checkpoint, channel values included, on every put rather than per-channel deltas.
const KEY = '4f'.repeat(32);

for (const encryptionKey of [undefined, KEY]) {
  const open = new Map<Checkpointer, SqliteStorage>();
  validateCheckpointer({
    label: `createSqliteStorage({ path: ':memory:'${encryptionKey ? ', encryptionKey' : ''} }).checkpointer`,
    upstreamName: '@langchain/langgraph-checkpoint-sqlite',
    async create() {
      const storage = createSqliteStorage({ path: ':memory:', encryptionKey });
      await storage.init();
      open.set(storage.checkpointer, storage);
      return storage.checkpointer;
    },
    async destroy(checkpointer) {
      await open.get(checkpointer)?.close();
      open.delete(checkpointer);
    },
  });
}
