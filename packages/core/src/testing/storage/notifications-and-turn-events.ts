import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { NOTIFICATION_PAYLOAD_LIMIT } from '../../storage/domains/notification-storage.js';
import type { TurnEventEntry } from '../../storage/domains/turn-event-storage.js';
import { newId } from '../../storage/ids.js';
import type { StorageAdapter } from '../../storage/storage-adapter.js';
import type { StoryMessage, TurnEvent } from '../../types.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Skips the running case when the adapter does not declare `capability`. */
function withCapability(
  context: StorageSuiteContext,
  capability: 'notifications' | 'turnEvents',
  skip: (note?: string) => void,
): StorageSuiteContext {
  if (!context.adapter.capabilities[capability]) skip(`${context.adapter.name} does not declare ${capability}`);
  return context;
}

/** Resolves once `probe` holds (checking every 10 ms), or rejects after `ms`. */
async function eventually(probe: () => boolean, ms = 5000, what = 'the notification'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what} did not arrive within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const channelName = () => `test:${newId('ch').slice(-12)}`;

async function refused(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!DreamdeckError.isInstance(error)) throw new Error(`expected a DreamdeckError, got ${String(error)}`);
  return error;
}

/** Cases for messages between instances (capability `notifications`). */
export function describeNotifications(context: () => StorageSuiteContext): void {
  describe('notifications', () => {
    it('publish reaches every subscriber of the channel, in order, this instance included', async ({ skip }) => {
      const { adapter } = withCapability(context(), 'notifications', skip);
      const channel = channelName();
      const first: string[] = [];
      const second: string[] = [];
      const stopFirst = await adapter.subscribe!(channel, (payload) => first.push(payload));
      const stopSecond = await adapter.subscribe!(channel, (payload) => second.push(payload));
      for (const payload of ['one', 'two', '{"turnId":"turn_1","seq":3}']) await adapter.publish!(channel, payload);
      await eventually(() => first.length === 3 && second.length === 3);
      expect(first).toEqual(['one', 'two', '{"turnId":"turn_1","seq":3}']);
      expect(second).toEqual(first);
      await stopFirst();
      await adapter.publish!(channel, 'four');
      await eventually(() => second.length === 4);
      expect(first).toHaveLength(3);
      await stopSecond();
    });

    it('channels are separate, and nothing arrives after unsubscribing', async ({ skip }) => {
      const { adapter } = withCapability(context(), 'notifications', skip);
      const channel = channelName();
      const other = channelName();
      const heard: string[] = [];
      const marker: string[] = [];
      const stop = await adapter.subscribe!(channel, (payload) => heard.push(payload));
      const stopMarker = await adapter.subscribe!(other, (payload) => marker.push(payload));
      await adapter.publish!(other, 'elsewhere');
      await eventually(() => marker.length === 1);
      expect(heard).toEqual([]);
      await stop();
      await stop();
      await adapter.publish!(channel, 'too late');
      await adapter.publish!(other, 'marker');
      // notifications arrive in the order they were sent: once the marker is here, the other would be too
      await eventually(() => marker.length === 2);
      expect(heard).toEqual([]);
      await stopMarker();
    });

    it('a payload of the largest size arrives intact; a larger one or a bad channel is INVALID_INPUT', async ({
      skip,
    }) => {
      const { adapter } = withCapability(context(), 'notifications', skip);
      const channel = channelName();
      const heard: string[] = [];
      const stop = await adapter.subscribe!(channel, (payload) => heard.push(payload));
      // 3-byte characters: the limit counts UTF-8 bytes, not string length
      const largest = `${'é'.repeat(10)}${'€'.repeat((NOTIFICATION_PAYLOAD_LIMIT - 20) / 3)}`;
      expect(new TextEncoder().encode(largest).length).toBeLessThanOrEqual(NOTIFICATION_PAYLOAD_LIMIT);
      await adapter.publish!(channel, largest);
      await eventually(() => heard.length === 1);
      expect(heard[0]).toBe(largest);
      expect((await refused(adapter.publish!(channel, `${largest}€€`))).code).toBe('INVALID_INPUT');
      expect((await refused(adapter.publish!('bad channel!', 'x'))).code).toBe('INVALID_INPUT');
      expect((await refused(adapter.subscribe!('', () => {}))).code).toBe('INVALID_INPUT');
      await stop();
    });
  });
}

const narration = (turnId: string, threadId: string, messageId: string): TurnEvent[] => {
  const message: StoryMessage = {
    id: messageId,
    threadId,
    turnId,
    role: 'assistant',
    kind: 'narration',
    content: 'The lamp gutters — «ñ» 🐉',
    createdAt: new Date(0).toISOString(),
    status: 'complete',
  };
  return [
    { type: 'turn-start', turnId, threadId },
    { type: 'message-start', messageId, role: 'assistant', kind: 'narration', persona: 'storyteller' },
    { type: 'message-delta', messageId, text: 'The lamp ' },
    { type: 'message-delta', messageId, text: 'gutters — «ñ» 🐉' },
    { type: 'message-end', message },
    { type: 'turn-end', turnId, status: 'complete' },
  ];
};

const numbered = (events: TurnEvent[], from = 1): TurnEventEntry[] =>
  events.map((event, index) => ({ seq: from + index, event }));

/** Appends `entries` in batches of the given sizes. */
async function appendInBatches(
  adapter: StorageAdapter,
  turnId: string,
  threadId: string,
  entries: TurnEventEntry[],
  sizes: number[],
): Promise<void> {
  let at = 0;
  for (const size of sizes) {
    await adapter.appendTurnEvents!(turnId, threadId, entries.slice(at, at + size));
    at += size;
  }
}

/** Cases for the log of running turns' events (capability `turnEvents`). */
export function describeTurnEvents(context: () => StorageSuiteContext): void {
  describe('turn events', () => {
    it('appends batches and reads them back after any seq, exactly as written', async ({ skip }) => {
      const { adapter, inspect } = withCapability(context(), 'turnEvents', skip);
      const turnId = newId('turn');
      const threadId = newId('thr');
      const entries = numbered(narration(turnId, threadId, newId('msg')));
      await appendInBatches(adapter, turnId, threadId, entries, [2, 1, 3]);
      if (inspect.turnEvents) {
        expect(await inspect.turnEvents(turnId)).toEqual(
          entries.map((entry) => ({ seq: entry.seq, type: entry.event.type })),
        );
      }
      expect(await adapter.readTurnEvents!(turnId, 0)).toEqual({ threadId, firstSeq: 1, entries });
      for (const after of [1, 2, 3, 4, 5, 6, 9]) {
        const found = await adapter.readTurnEvents!(turnId, after);
        expect(found).toEqual({ threadId, firstSeq: 1, entries: entries.slice(after) });
      }
      expect(await adapter.readTurnEvents!(newId('turn'), 0)).toBeNull();
    });

    it('dropThrough removes the turn’s earlier batches; a read reports where the stored entries start', async ({
      skip,
    }) => {
      const { adapter } = withCapability(context(), 'turnEvents', skip);
      const turnId = newId('turn');
      const threadId = newId('thr');
      const entries = numbered(narration(turnId, threadId, newId('msg')));
      await appendInBatches(adapter, turnId, threadId, entries.slice(0, 4), [2, 2]);
      await adapter.appendTurnEvents!(turnId, threadId, entries.slice(4), { dropThrough: 2 });
      const found = await adapter.readTurnEvents!(turnId, 0);
      expect(found?.firstSeq).toBeGreaterThan(1);
      expect(found?.firstSeq).toBeLessThanOrEqual(3);
      // what is stored has no gap up to the end
      const stored = found?.entries ?? [];
      expect(stored.map((entry) => entry.seq)).toEqual(stored.map((_, index) => (found?.firstSeq ?? 0) + index));
      expect(stored.at(-1)).toEqual(entries.at(-1));
    });

    it('pruneTurnEvents removes ended turns past endedMs and any turn past idleMs, nothing else', async ({ skip }) => {
      const { adapter } = withCapability(context(), 'turnEvents', skip);
      const threadId = newId('thr');
      const ended = newId('turn');
      const running = newId('turn');
      await adapter.appendTurnEvents!(ended, threadId, numbered(narration(ended, threadId, newId('msg'))));
      await adapter.appendTurnEvents!(
        running,
        threadId,
        numbered(narration(running, threadId, newId('msg')).slice(0, 3)),
      );
      expect(await adapter.pruneTurnEvents!({ endedMs: 60_000, idleMs: 60_000 })).toBeGreaterThanOrEqual(0);
      expect(await adapter.readTurnEvents!(ended, 0)).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await adapter.pruneTurnEvents!({ endedMs: 5, idleMs: 60_000 })).toBeGreaterThanOrEqual(1);
      expect(await adapter.readTurnEvents!(ended, 0)).toBeNull();
      expect(await adapter.readTurnEvents!(running, 0)).not.toBeNull();
      expect(await adapter.pruneTurnEvents!({ endedMs: 5, idleMs: 5 })).toBeGreaterThanOrEqual(1);
      expect(await adapter.readTurnEvents!(running, 0)).toBeNull();
    });
  });
}
