import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { describeStorageAdapter } from '@dreamdeck/core/testing';
import { spawnLeaseHolder } from './support/spawn-lease-holder.js';
import { sqliteInspector } from './support/sqlite-inspector.js';
import { tempDir } from './support/temp-dir.js';

const folders: Array<() => void> = [];
const fileIn = (name: string) => {
  const dir = tempDir('dreamdeck-sqlite-');
  folders.push(dir.remove);
  return join(dir.path, 'nested', name);
};

describeStorageAdapter({
  name: 'sqlite',
  create: () => createSqliteStorage({ path: fileIn('plain.db') }),
  inspect: (adapter) => sqliteInspector(adapter),
  spawnLeaseHolder: (adapter, lease) => spawnLeaseHolder(['sqlite', adapter.database.name, '-'], lease),
  destroy: () => folders.shift()?.(),
});

const key = { current: { id: 'k2', key: 'a new passphrase' }, previous: ['an old passphrase'] };
describeStorageAdapter({
  name: 'sqlite (encrypted)',
  create: () => createSqliteStorage({ path: fileIn('encrypted.db'), encryptionKey: key }),
  inspect: (adapter) => sqliteInspector(adapter, key),
  spawnLeaseHolder: (adapter, lease) => spawnLeaseHolder(['sqlite', adapter.database.name, '-'], lease),
  destroy: () => folders.shift()?.(),
});
