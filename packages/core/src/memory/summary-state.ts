import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StorySummary } from './memory-types.js';

// What memory keeps per thread, in the thread's key/values (encrypted at rest with the adapter's
// `encryptionKey`, like messages): the rolling summary, and how far fact extraction has read.

/** Thread data key of the rolling summary. */
export const SUMMARY_KEY = 'dreamdeck:summary';
/** Thread data key of the extraction cursor: the newest message the `remember` task has read. */
export const EXTRACTED_KEY = 'dreamdeck:extracted-through';
/** Thread data key set while an extraction failed: the next turn tries again. */
export const EXTRACT_RETRY_KEY = 'dreamdeck:extract-retry';

/** What memory read from a thread's data in one storage call. */
export interface ThreadMemoryState {
  /** The rolling summary, if one was written (maybe of an earlier chapter: see the window's `resetId`). */
  summary: StorySummary | undefined;
  /** The newest message fact extraction has read, if any. */
  extractedThrough: string | undefined;
  /** The last extraction failed: run it on the next turn. */
  extractRetry: boolean;
}

/** Reads the summary and the extraction cursor of a thread. */
export async function readThreadMemory(storage: StorageAdapter, threadId: string): Promise<ThreadMemoryState> {
  return threadMemoryOf(await storage.getThreadData(threadId));
}

/** The summary and the extraction cursor in a thread's data as read (`getThreadData`). */
export function threadMemoryOf(data: Readonly<Record<string, unknown>>): ThreadMemoryState {
  return {
    summary: toSummary(data[SUMMARY_KEY]),
    extractedThrough: stringOr(data[EXTRACTED_KEY]),
    extractRetry: data[EXTRACT_RETRY_KEY] === true,
  };
}

/** Stores the summary (replacing the old one). */
export function writeSummary(storage: StorageAdapter, threadId: string, summary: StorySummary): Promise<void> {
  return storage.setThreadData(threadId, SUMMARY_KEY, { ...summary });
}

/** Marks (or clears) a failed extraction, so the next turn runs one. */
export function writeExtractRetry(storage: StorageAdapter, threadId: string, retry: boolean): Promise<void> {
  return storage.setThreadData(threadId, EXTRACT_RETRY_KEY, retry ? true : undefined);
}

/** Moves the extraction cursor. */
export function writeExtractedThrough(storage: StorageAdapter, threadId: string, messageId: string): Promise<void> {
  return storage.setThreadData(threadId, EXTRACTED_KEY, messageId);
}

/** Deletes the summary and the cursor of a thread (a `/reset` keeps the cursor: extraction goes on). */
export async function clearThreadMemory(
  storage: StorageAdapter,
  threadId: string,
  options: { keepCursor?: boolean } = {},
): Promise<void> {
  await storage.setThreadData(threadId, SUMMARY_KEY, undefined);
  if (options.keepCursor) return;
  await storage.setThreadData(threadId, EXTRACTED_KEY, undefined);
  await storage.setThreadData(threadId, EXTRACT_RETRY_KEY, undefined);
}

function toSummary(value: unknown): StorySummary | undefined {
  const summary = value as Partial<StorySummary> | undefined;
  if (!summary || typeof summary.text !== 'string' || typeof summary.throughMessageId !== 'string') return undefined;
  return {
    text: summary.text,
    throughMessageId: summary.throughMessageId,
    updatedAt: String(summary.updatedAt ?? ''),
  };
}

const stringOr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
