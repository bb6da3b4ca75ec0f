/**
 * `@dreamdeck/adapters/postgres`: Dreamdeck storage in PostgreSQL, shared by several server instances.
 * @packageDocumentation
 */
export type { EncryptionKeyEntry, EncryptionKeyOption, EncryptionKeyRing } from '../crypto/encryption-keys.js';
export type { SqlStorageOptions } from '../storage-shared/sql-storage-options.js';
export { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
export { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from './postgres-storage.js';
