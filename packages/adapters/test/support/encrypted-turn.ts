import { createDemoModel, createDreamdeck, type StorageAdapter, type Turn, type TurnEvent } from '@dreamdeck/core';

/** The player's secret the checkpoint-encryption tests send and then look for in raw bytes. */
export const PHRASE = 'quartzfeather';

/** A Dreamdeck on `storage` with the zero-latency demo model; storyboard review on, so turns interrupt. */
export function storyEngine(storage: StorageAdapter) {
  return createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: true, storyboardReview: true } },
  });
}

/** Runs a turn to the end; returns its events, result and the id of its interrupt (if any). */
export async function playTurn(turn: Turn) {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  const interrupt = events.find((event) => event.type === 'interrupt');
  return {
    events,
    result: await turn.result,
    interruptId: interrupt?.type === 'interrupt' ? interrupt.interruptId : undefined,
  };
}

/**
 * Sends the secret phrase on a new thread of `userId`; the turn ends interrupted (storyboard
 * review). The engine stays open (call `dd.close()`, which closes the storage), so a test can read
 * the SQLite WAL before it is checkpointed away.
 */
export async function sendSecretTurn(storage: StorageAdapter, userId: string) {
  const dd = await storyEngine(storage);
  const session = await dd.openSession({ userId });
  const turn = await playTurn(session.send(`a secret phrase: ${PHRASE}`));
  const history = await session.history();
  return { dd, threadId: session.threadId, history, ...turn };
}

/** Answers the thread's pending storyboard review with `true` (paint) on a fresh engine over `storage`. */
export async function resumeTurn(storage: StorageAdapter, userId: string, threadId: string, interruptId: string) {
  const dd = await storyEngine(storage);
  const session = await dd.openSession({ userId, threadId });
  const turn = await playTurn(session.resume(interruptId, true));
  await dd.close();
  return turn;
}

/** Text of a raw row value: Buffers (BLOB / bytea) decoded as UTF-8, everything else JSON. */
export function rawText(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return JSON.stringify(value, (_, inner) =>
    inner && typeof inner === 'object' && inner.type === 'Buffer' && Array.isArray(inner.data)
      ? Buffer.from(inner.data).toString('utf8')
      : inner,
  );
}
