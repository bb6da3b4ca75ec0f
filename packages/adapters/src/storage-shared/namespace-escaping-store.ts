import { BaseStore, type Item, type Operation, type OperationResults } from '@langchain/langgraph-checkpoint';

const ESCAPES: Record<string, string> = { '~': '~t', _: '~u', '%': '~p', '\\': '~b' };
const UNESCAPES: Record<string, string> = { '~t': '~', '~u': '_', '~p': '%', '~b': '\\' };

/** Escapes one namespace label so it holds no `_`, `%` or `\` (PostgresStore rejects them as LIKE wildcards). */
export function escapeLabel(label: string): string {
  return label.replace(/[~_%\\]/g, (char) => ESCAPES[char] as string);
}

/** Reverses {@link escapeLabel}. */
export function unescapeLabel(label: string): string {
  return label.replace(/~[tupb]/g, (code) => UNESCAPES[code] as string);
}

const escapeNamespace = (namespace: string[]) => namespace.map(escapeLabel);
const unescapeNamespace = (namespace: string[]) => namespace.map(unescapeLabel);

/**
 * Wraps a store so namespace labels may contain `_`, `%` and `\` — ids such as `usr_123` — even
 * though the official PostgresStore refuses them. Labels are escaped on the way in and restored on
 * the way out; `*` wildcards in `listNamespaces` conditions pass through.
 */
export class NamespaceEscapingStore extends BaseStore {
  readonly #inner: BaseStore;

  /** Wraps `inner`. */
  constructor(inner: BaseStore) {
    super();
    this.#inner = inner;
  }

  /** Escapes namespaces in every operation and restores them in the results. */
  override async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const inner = (operations as Operation[]).map((operation): Operation => {
      if ('namespacePrefix' in operation)
        return { ...operation, namespacePrefix: escapeNamespace(operation.namespacePrefix) };
      if ('namespace' in operation) return { ...operation, namespace: escapeNamespace(operation.namespace) };
      return {
        ...operation,
        ...(operation.matchConditions && {
          matchConditions: operation.matchConditions.map((condition) => ({
            ...condition,
            path: condition.path.map((label) => (label === '*' ? label : escapeLabel(label))),
          })),
        }),
      };
    });
    const results = (await this.#inner.batch(inner)) as unknown[];
    return (operations as Operation[]).map((operation, index) => {
      const result = results[index];
      if ('namespacePrefix' in operation)
        return (result as Item[]).map((item) => ({ ...item, namespace: unescapeNamespace(item.namespace) }));
      if ('namespace' in operation) {
        const item = result as Item | null | undefined;
        return item && typeof item === 'object' ? { ...item, namespace: unescapeNamespace(item.namespace) } : item;
      }
      return (result as string[][]).map(unescapeNamespace);
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
}
