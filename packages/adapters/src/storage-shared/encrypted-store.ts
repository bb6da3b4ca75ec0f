import {
  BaseStore,
  type Item,
  type Operation,
  type OperationResults,
  type SearchItem,
  type SearchOperation,
} from '@langchain/langgraph-checkpoint';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { matchesFilter, searchTerms, textOfValue } from './search-text.js';

const FIELD = '__dreamdeck_encrypted';
/** Rows read per namespace prefix when filtering encrypted values in process. */
const SCAN_LIMIT = 10_000;

/**
 * Wraps a LangGraph store so every value is stored as `{ __dreamdeck_encrypted: <ciphertext> }`.
 * The backend can then neither filter nor search values, so `filter` and `query` are applied in
 * process after decrypting the items under the namespace prefix (memory stores are per user and small).
 */
export class EncryptedStore extends BaseStore {
  readonly #inner: BaseStore;
  readonly #cipher: FieldCipher;

  /** Wraps `inner`, encrypting with `cipher`. */
  constructor(inner: BaseStore, cipher: FieldCipher) {
    super();
    this.#inner = inner;
    this.#cipher = cipher;
  }

  /** Encrypts put values, decrypts read values, filters and searches in process. */
  override async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const inner = (operations as Operation[]).map((operation): Operation => {
      if ('value' in operation && operation.value !== null) {
        return { ...operation, value: { [FIELD]: this.#cipher.encryptJson(operation.value) }, index: false };
      }
      if ('namespacePrefix' in operation)
        return { namespacePrefix: operation.namespacePrefix, limit: SCAN_LIMIT, offset: 0 };
      return operation;
    });
    const results = (await this.#inner.batch(inner)) as unknown[];
    return (operations as Operation[]).map((operation, index) => {
      const result = results[index];
      if ('namespacePrefix' in operation) return this.#search(operation, result as SearchItem[]);
      if ('key' in operation && !('value' in operation)) return result ? this.#decrypt(result as Item) : null;
      return result;
    }) as OperationResults<Op>;
  }

  /** Starts the wrapped store. */
  override start(): void | Promise<void> {
    return this.#inner.start();
  }

  /** Stops the wrapped store. */
  override stop(): void | Promise<void> {
    return this.#inner.stop();
  }

  #decrypt<T extends Item>(item: T): T {
    const stored = item.value[FIELD];
    return typeof stored === 'string'
      ? { ...item, value: this.#cipher.decryptJson<Record<string, unknown>>(stored) }
      : item;
  }

  #search(operation: SearchOperation, items: SearchItem[]): SearchItem[] {
    let found = items.map((item) => this.#decrypt(item)).filter((item) => matchesFilter(item.value, operation.filter));
    const terms = operation.query ? searchTerms(operation.query) : [];
    if (terms.length > 0) {
      found = found
        .map((item) => {
          const words = searchTerms(textOfValue(item.value));
          return {
            ...item,
            score: terms.reduce((sum, term) => sum + words.filter((w) => w.startsWith(term)).length, 0),
          };
        })
        .filter((item) => item.score > 0)
        .sort((a, b) => b.score - a.score);
    }
    const offset = operation.offset ?? 0;
    return found.slice(offset, offset + (operation.limit ?? 10));
  }
}
