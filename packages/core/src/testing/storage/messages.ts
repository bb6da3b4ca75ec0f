import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { StorageAdapter } from '../../storage/storage-adapter.js';
import type { StoryMessage } from '../../types.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** A message for `threadId` with sensible defaults. */
export function storyMessage(threadId: string, overrides: Partial<StoryMessage> = {}): StoryMessage {
  return {
    id: newId('msg'),
    threadId,
    role: 'assistant',
    kind: 'narration',
    persona: 'storyteller',
    content: 'The torch gutters.',
    createdAt: new Date().toISOString(),
    status: 'complete',
    ...overrides,
  };
}

async function threadWithMessages(adapter: StorageAdapter, count: number): Promise<StoryMessage[]> {
  const thread = await adapter.createThread({ userId: newId('usr'), persona: 'storyteller' });
  const messages: StoryMessage[] = [];
  for (let i = 0; i < count; i++) {
    const message = storyMessage(thread.id, {
      role: i % 2 === 0 ? 'user' : 'assistant',
      kind: i % 2 === 0 ? 'player' : 'narration',
      content: `message ${i}`,
    });
    await adapter.appendMessage(message);
    messages.push(message);
  }
  return messages;
}

/** Cases for messages: append in order, list with paging, get, update. */
export function describeMessages(context: () => StorageSuiteContext): void {
  describe('messages', () => {
    it('appendMessage stores every field, in order', async () => {
      const { adapter, inspect } = context();
      const thread = await adapter.createThread({ userId: newId('usr'), persona: 'storyteller' });
      const first = storyMessage(thread.id, { role: 'user', kind: 'player', content: 'I open the *door*.' });
      const second = storyMessage(thread.id, {
        content: '# Chapter 1\n\nThe door creaks — “who goes there?” 🐉',
        parts: [
          {
            type: 'dice',
            roll: { notation: '1d20+3', rolls: [{ value: 17 }], total: 20, output: '1d20+3: [17]+3 = 20' },
          },
        ],
        turnId: 'turn_1',
      });
      await adapter.appendMessage(first);
      await adapter.appendMessage(second);
      const raw = await inspect.messages(thread.id);
      expect(raw.map((m) => m.id)).toEqual([first.id, second.id]);
      expect(raw[0]).toMatchObject({ role: 'user', kind: 'player', content: 'I open the *door*.', status: 'complete' });
      expect(raw[1]).toMatchObject({ content: second.content, persona: 'storyteller', parts: second.parts });
      expect(await adapter.getMessage(second.id)).toEqual(second);
      expect(await adapter.listMessages(thread.id)).toEqual([first, second]);
    });

    it('listMessages returns the newest `limit` before a message, oldest first', async () => {
      const { adapter } = context();
      const messages = await threadWithMessages(adapter, 10);
      const ids = messages.map((m) => m.id);
      expect((await adapter.listMessages(messages[0]!.threadId, { limit: 3 })).map((m) => m.id)).toEqual(ids.slice(7));
      expect(
        (await adapter.listMessages(messages[0]!.threadId, { limit: 3, before: ids[7]! })).map((m) => m.id),
      ).toEqual(ids.slice(4, 7));
      expect((await adapter.listMessages(messages[0]!.threadId, { before: ids[2]! })).map((m) => m.id)).toEqual(
        ids.slice(0, 2),
      );
    });

    it('listMessages resolves [] for a thread without messages', async () => {
      const { adapter } = context();
      expect(await adapter.listMessages(newId('thr'))).toEqual([]);
    });

    it('updateMessage changes status, content, parts and alternatives in the stored row', async () => {
      const { adapter, inspect } = context();
      const [, reply] = await threadWithMessages(adapter, 2);
      const alternatives = [{ content: 'message 1', createdAt: reply!.createdAt, status: 'complete' as const }];
      const updated = await adapter.updateMessage(reply!.id, {
        content: 'A new reply',
        status: 'aborted',
        parts: [{ type: 'choices', options: ['left', 'right'] }],
        alternatives,
      });
      expect(updated).toMatchObject({ id: reply!.id, content: 'A new reply', status: 'aborted', alternatives });
      const raw = (await inspect.messages(reply!.threadId))[1];
      expect(raw).toMatchObject({
        content: 'A new reply',
        status: 'aborted',
        parts: [{ type: 'choices', options: ['left', 'right'] }],
        alternatives,
      });

      await adapter.updateMessage(reply!.id, { status: 'complete' });
      expect((await inspect.messages(reply!.threadId))[1]).toMatchObject({
        content: 'A new reply',
        status: 'complete',
      });
    });

    it('updateMessage with ifStatus writes only while the stored status matches', async () => {
      const { adapter, inspect } = context();
      const [, reply] = await threadWithMessages(adapter, 2);
      await adapter.updateMessage(reply!.id, { status: 'streaming' });
      // another writer finishes the reply first…
      await adapter.updateMessage(reply!.id, { content: 'The end.', status: 'complete' });
      // …so a guarded "mark it aborted" leaves it alone and returns what is stored
      const kept = await adapter.updateMessage(reply!.id, { status: 'aborted', ifStatus: 'streaming' });
      expect(kept).toMatchObject({ content: 'The end.', status: 'complete' });
      expect((await inspect.messages(reply!.threadId))[1]).toMatchObject({ content: 'The end.', status: 'complete' });
      // while it still matches, the guarded write goes through
      await adapter.updateMessage(reply!.id, { status: 'streaming' });
      const marked = await adapter.updateMessage(reply!.id, { status: 'aborted', ifStatus: 'streaming' });
      expect(marked.status).toBe('aborted');
      expect((await inspect.messages(reply!.threadId))[1]).toMatchObject({ status: 'aborted' });
      const missing = await adapter
        .updateMessage(newId('msg'), { status: 'aborted', ifStatus: 'streaming' })
        .catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(missing) && missing.code).toBe('NOT_FOUND');
    });

    it('updateMessage rejects an unknown id with NOT_FOUND', async () => {
      const { adapter } = context();
      const error = await adapter.updateMessage(newId('msg'), { status: 'error' }).catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error) && error.code).toBe('NOT_FOUND');
    });

    it('getMessage resolves null for an unknown id', async () => {
      const { adapter } = context();
      expect(await adapter.getMessage(newId('msg'))).toBeNull();
    });
  });
}
