/**
 * `@dreamdeck/adapters/sqlite`: Dreamdeck storage in one SQLite file.
 * @packageDocumentation
 */
export type { EncryptionKeyEntry, EncryptionKeyOption, EncryptionKeyRing } from '../crypto/encryption-keys.js';
export type { FieldCipher } from '../crypto/field-cipher.js';
export type { SqlStorageOptions } from '../storage-shared/sql-storage-options.js';
export { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
export { createSqliteStorage, type SqliteStorage, type SqliteStorageOptions } from './sqlite-storage.js';
export { namespacePath, SqliteStore } from './sqlite-store.js';
