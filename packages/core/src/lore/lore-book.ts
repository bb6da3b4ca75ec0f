import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { Persona } from '../personas/personas.js';
import type { StoredLoreEntry } from './lore-types.js';

// Store access for `dd.lore` and the turn's lore section. One namespace per user for entries and
// one for the personas imported from cards; the key is the id. Records carry their user id, and
// reads check it (PostgreSQL matches namespace paths by prefix).

/** The LangGraph store namespace of a user's lore entries. */
export function loreNamespace(userId: string): string[] {
  return ['dreamdeck', 'lore', userId];
}

/** The LangGraph store namespace of the personas a user imported. */
export function userPersonaNamespace(userId: string): string[] {
  return ['dreamdeck', 'personas', userId];
}

/** Most entries a user keeps (imports past it are refused). */
export const MAX_LORE_ENTRIES = 2000;
/** Most personas a user imports. */
export const MAX_USER_PERSONAS = 100;

/** An entry as stored, checked: anything malformed (or of another user) is skipped. */
function toEntry(value: unknown, userId: string): StoredLoreEntry | undefined {
  const entry = value as Partial<StoredLoreEntry> | null;
  if (
    !entry ||
    typeof entry.id !== 'string' ||
    typeof entry.content !== 'string' ||
    entry.userId !== userId ||
    !Array.isArray(entry.keys)
  )
    return undefined;
  return {
    id: entry.id,
    userId,
    keys: entry.keys.filter((key): key is string => typeof key === 'string'),
    content: entry.content,
    ...(entry.constant === true && { constant: true }),
    ...(typeof entry.priority === 'number' && entry.priority !== 0 && { priority: entry.priority }),
    scope: entry.scope === 'thread' ? 'thread' : 'user',
    ...(entry.scope === 'thread' && typeof entry.threadId === 'string' && { threadId: entry.threadId }),
    source: entry.source === 'card' || entry.source === 'world-info' ? entry.source : 'manual',
    createdAt: String(entry.createdAt),
    updatedAt: String(entry.updatedAt),
  };
}

/** Higher priority first, then the older entry first (stable across reads). */
export function byPriority(a: StoredLoreEntry, b: StoredLoreEntry): number {
  return (
    (b.priority ?? 0) - (a.priority ?? 0) ||
    (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1)
  );
}

/** Every entry of a user, highest priority first; with `threadId`, those that apply in that story. */
export async function readLore(store: BaseStore, userId: string, threadId?: string): Promise<StoredLoreEntry[]> {
  const items = await store.search(loreNamespace(userId), { filter: { userId }, limit: MAX_LORE_ENTRIES + 100 });
  return items
    .flatMap((item) => toEntry(item.value, userId) ?? [])
    .filter((entry) => !threadId || entry.scope === 'user' || entry.threadId === threadId)
    .sort(byPriority);
}

/** One entry of the user, or undefined. */
export async function readLoreEntry(
  store: BaseStore,
  userId: string,
  id: string,
): Promise<StoredLoreEntry | undefined> {
  const item = await store.get(loreNamespace(userId), id);
  return item ? toEntry(item.value, userId) : undefined;
}

/** Stores entries as they are (create or replace), in one batch. */
export async function writeLore(store: BaseStore, entries: StoredLoreEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // `index: false`: entries are matched in process, never by the backend's own index
  await store.batch(
    entries.map((entry) => ({
      namespace: loreNamespace(entry.userId),
      key: entry.id,
      value: { ...entry },
      index: false as const,
    })),
  );
}

/** Deletes entries for good. */
export async function deleteLore(store: BaseStore, userId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await store.batch(ids.map((id) => ({ namespace: loreNamespace(userId), key: id, value: null })));
}

/** A persona as stored, checked. */
function toPersona(value: unknown, userId: string): Persona | undefined {
  const stored = value as (Partial<Persona> & { userId?: string }) | null;
  if (
    !stored ||
    stored.userId !== userId ||
    typeof stored.id !== 'string' ||
    typeof stored.name !== 'string' ||
    typeof stored.prompt !== 'string'
  )
    return undefined;
  return {
    id: stored.id,
    name: stored.name,
    description: typeof stored.description === 'string' ? stored.description : '',
    icon: typeof stored.icon === 'string' ? stored.icon : '🎭',
    prompt: stored.prompt,
  };
}

/** The personas a user imported, by name. */
export async function readUserPersonas(store: BaseStore, userId: string): Promise<Persona[]> {
  const items = await store.search(userPersonaNamespace(userId), { filter: { userId }, limit: MAX_USER_PERSONAS + 10 });
  return items.flatMap((item) => toPersona(item.value, userId) ?? []).sort((a, b) => a.name.localeCompare(b.name));
}

/** One persona the user imported, or undefined (never another user's). */
export async function readUserPersona(store: BaseStore, userId: string, id: string): Promise<Persona | undefined> {
  if (!id.startsWith(USER_PERSONA_PREFIX)) return undefined;
  const item = await store.get(userPersonaNamespace(userId), id);
  return item ? toPersona(item.value, userId) : undefined;
}

/** The id prefix of personas imported by a user (config persona ids have no underscore). */
export const USER_PERSONA_PREFIX = 'persona_';

/** Stores a user's persona. */
export async function writeUserPersona(store: BaseStore, userId: string, persona: Persona): Promise<void> {
  await store.put(userPersonaNamespace(userId), persona.id, { ...persona, userId }, false);
}

/** Deletes a user's persona. */
export async function deleteUserPersona(store: BaseStore, userId: string, id: string): Promise<void> {
  await store.delete(userPersonaNamespace(userId), id);
}

/** Deletes the `thread` entries of one story. */
export async function forgetThreadLore(store: BaseStore, userId: string, threadId: string): Promise<void> {
  const entries = await readLore(store, userId);
  await deleteLore(
    store,
    userId,
    entries.filter((entry) => entry.threadId === threadId).map((entry) => entry.id),
  );
}
