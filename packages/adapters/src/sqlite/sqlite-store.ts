import {
  BaseStore,
  type GetOperation,
  type Item,
  type ListNamespacesOperation,
  type MatchCondition,
  type Operation,
  type OperationResults,
  type PutOperation,
  type SearchItem,
  type SearchOperation,
} from '@langchain/langgraph-checkpoint';
import type { Database } from 'better-sqlite3';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { matchesFilter, searchTerms, textOfValue } from '../storage-shared/search-text.js';
import { statementCache } from './statement-cache.js';

const SEPARATOR = '\u001f';

/** The stored path of a namespace: labels joined and terminated by U+001F, so prefixes match whole labels. */
export function namespacePath(namespace: string[]): string {
  return namespace.length === 0 ? '' : `${namespace.join(SEPARATOR)}${SEPARATOR}`;
}

interface StoreRow {
  path: string;
  key: string;
  namespace: string;
  value: string;
  created_at: string;
  updated_at: string;
}

/**
 * A LangGraph `BaseStore` on SQLite (the JS ecosystem has none): get, put, delete, search with
 * namespace prefix, filters (`$eq`, `$ne`, `$gt`, … or plain values) and a full-text `query`
 * (FTS5, BM25-ranked), and `listNamespaces`. Shares the adapter's database handle.
 *
 * With encryption on, values are stored encrypted and the FTS index is left empty (it would hold
 * plaintext); text queries then match on decrypted values in process.
 */
export class SqliteStore extends BaseStore {
  readonly #db: Database;
  readonly #sql: ReturnType<typeof statementCache>;
  readonly #cipher: FieldCipher;

  /** Wraps an open, migrated database. */
  constructor(db: Database, cipher: FieldCipher) {
    super();
    this.#db = db;
    this.#sql = statementCache(db);
    this.#cipher = cipher;
  }

  /** Runs get, put (null value = delete), search and listNamespaces operations in order. */
  override async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const results: unknown[] = [];
    const run = this.#db.transaction(() => {
      for (const operation of operations as Operation[]) {
        if ('namespacePrefix' in operation) results.push(this.#search(operation));
        else if ('value' in operation) results.push(this.#put(operation));
        else if ('key' in operation) results.push(this.#get(operation));
        else results.push(this.#listNamespaces(operation));
      }
    });
    if (operations.some((operation) => 'value' in operation)) run.immediate();
    else run();
    return results as OperationResults<Op>;
  }

  #toItem(row: StoreRow): Item {
    return {
      namespace: JSON.parse(row.namespace) as string[],
      key: row.key,
      value: this.#cipher.decryptJson<Record<string, unknown>>(row.value),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  }

  #get(operation: GetOperation): Item | null {
    const row = this.#sql('SELECT * FROM dd_store WHERE path = ? AND key = ?').get(
      namespacePath(operation.namespace),
      operation.key,
    ) as StoreRow | undefined;
    return row ? this.#toItem(row) : null;
  }

  #put(operation: PutOperation): void {
    const path = namespacePath(operation.namespace);
    this.#sql('DELETE FROM dd_store_fts WHERE path = ? AND key = ?').run(path, operation.key);
    if (operation.value === null) {
      this.#sql('DELETE FROM dd_store WHERE path = ? AND key = ?').run(path, operation.key);
      return;
    }
    const now = new Date().toISOString();
    this.#sql(
      `INSERT INTO dd_store (path, key, namespace, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (path, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(
      path,
      operation.key,
      JSON.stringify(operation.namespace),
      this.#cipher.encryptJson(operation.value),
      now,
      now,
    );
    if (!this.#cipher.enabled && operation.index !== false) {
      const text = textOfValue(operation.value, operation.index);
      if (text) this.#sql('INSERT INTO dd_store_fts (path, key, text) VALUES (?, ?, ?)').run(path, operation.key, text);
    }
  }

  #search(operation: SearchOperation): SearchItem[] {
    const prefix = namespacePath(operation.namespacePrefix);
    // the paths under `prefix` as a range of the primary key (an index seek, not a scan of every
    // user's items): a path ends its labels with U+001F, so everything under it sorts before U+0020
    const range = (column: string) => (prefix ? `${column} >= ? AND ${column} < ?` : `${column} >= ?`);
    const bounds = prefix ? [prefix, `${prefix.slice(0, -1)}\u0020`] : [prefix];
    const limit = operation.limit ?? 10;
    const offset = operation.offset ?? 0;
    const terms = operation.query ? searchTerms(operation.query) : [];
    let candidates: Array<SearchItem>;
    if (terms.length > 0 && !this.#cipher.enabled) {
      const match = terms.map((term) => `"${term}"`).join(' OR ');
      const rows = this.#sql(
        `SELECT s.*, -bm25(dd_store_fts) AS score FROM dd_store_fts f
           JOIN dd_store s ON s.path = f.path AND s.key = f.key
           WHERE dd_store_fts MATCH ? AND ${range('s.path')}
           ORDER BY bm25(dd_store_fts)`,
      ).all(match, ...bounds) as Array<StoreRow & { score: number }>;
      candidates = rows.map((row) => ({ ...this.#toItem(row), score: row.score }));
    } else {
      const rows = this.#sql(`SELECT * FROM dd_store WHERE ${range('path')} ORDER BY updated_at DESC, key`).all(
        ...bounds,
      ) as StoreRow[];
      candidates = rows.map((row) => this.#toItem(row));
      if (terms.length > 0) {
        candidates = candidates
          .map((item) => {
            const words = searchTerms(textOfValue(item.value));
            const score = terms.reduce((sum, term) => sum + words.filter((word) => word.startsWith(term)).length, 0);
            return { ...item, score };
          })
          .filter((item) => (item.score ?? 0) > 0)
          .sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
      }
    }
    return candidates.filter((item) => matchesFilter(item.value, operation.filter)).slice(offset, offset + limit);
  }

  #listNamespaces(operation: ListNamespacesOperation): string[][] {
    const rows = this.#sql('SELECT DISTINCT namespace FROM dd_store').all() as Array<{ namespace: string }>;
    let namespaces = rows.map((row) => JSON.parse(row.namespace) as string[]);
    for (const condition of operation.matchConditions ?? []) {
      namespaces = namespaces.filter((namespace) => matchesCondition(namespace, condition));
    }
    if (operation.maxDepth !== undefined)
      namespaces = namespaces.map((namespace) => namespace.slice(0, operation.maxDepth));
    const unique = [...new Map(namespaces.map((namespace) => [JSON.stringify(namespace), namespace])).values()];
    unique.sort((a, b) => a.join(SEPARATOR).localeCompare(b.join(SEPARATOR)));
    const offset = operation.offset ?? 0;
    return unique.slice(offset, offset + (operation.limit ?? unique.length));
  }
}

function matchesCondition(namespace: string[], condition: MatchCondition): boolean {
  const { path, matchType } = condition;
  if (path.length > namespace.length) return false;
  const start = matchType === 'prefix' ? 0 : namespace.length - path.length;
  return path.every((label, index) => label === '*' || namespace[start + index] === label);
}
