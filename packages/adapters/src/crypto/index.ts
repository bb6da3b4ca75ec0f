export { type EncryptionKeyEntry, type EncryptionKeyOption, type Keyring, resolveKeyring } from './encryption-keys.js';
export { CIPHERTEXT_PREFIX, createFieldCipher, type FieldCipher, isCiphertext } from './field-cipher.js';
