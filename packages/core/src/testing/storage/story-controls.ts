import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { StorageAdapter } from '../../storage/storage-adapter.js';
import type { StoryMessage } from '../../types.js';
import { storyMessage } from './messages.js';
import type { StorageSuiteContext } from './storage-inspector.js';

async function storyOf(adapter: StorageAdapter, count: number): Promise<StoryMessage[]> {
  const thread = await adapter.createThread({ userId: newId('usr'), persona: 'storyteller' });
  const messages = Array.from({ length: count }, (_, i) =>
    storyMessage(thread.id, {
      role: i % 2 === 0 ? 'user' : 'assistant',
      kind: i % 2 === 0 ? 'player' : 'narration',
      content: `message ${i}`,
    }),
  );
  await adapter.appendMessages(messages);
  return messages;
}

/** Cases for the story controls' storage: batch append, rewind, the shown version, branch records (issue 21). */
export function describeStoryControls(context: () => StorageSuiteContext): void {
  describe('story controls', () => {
    it('appendMessages stores every message in order, every field', async () => {
      const { adapter, inspect } = context();
      const messages = await storyOf(adapter, 5);
      const raw = await inspect.messages(messages[0]!.threadId);
      expect(raw.map((m) => m.content)).toEqual(['message 0', 'message 1', 'message 2', 'message 3', 'message 4']);
      expect(raw[1]).toMatchObject({
        role: 'assistant',
        kind: 'narration',
        persona: 'storyteller',
        status: 'complete',
      });
      expect((await adapter.listMessages(messages[0]!.threadId)).map((m) => m.id)).toEqual(messages.map((m) => m.id));
    });

    it('appendMessages stores nothing when one id exists already', async () => {
      const { adapter, inspect } = context();
      const [first] = await storyOf(adapter, 2);
      const threadId = first!.threadId;
      const batch = [storyMessage(threadId, { content: 'new 1' }), { ...first!, content: 'dup' }];
      const failure = await adapter.appendMessages(batch).catch((error: unknown) => error);
      expect(DreamdeckError.isInstance(failure) && failure.code).toBe('INVALID_INPUT');
      expect((await inspect.messages(threadId)).map((m) => m.content)).toEqual(['message 0', 'message 1']);
    });

    it('appendMessages of nothing does nothing', async () => {
      const { adapter } = context();
      await expect(adapter.appendMessages([])).resolves.toBeUndefined();
    });

    it('rewindMessages marks the message and every later one; listMessages leaves them out unless asked', async () => {
      const { adapter, inspect } = context();
      const messages = await storyOf(adapter, 6);
      const threadId = messages[0]!.threadId;
      expect(await adapter.rewindMessages(threadId, messages[3]!.id)).toBe(3);
      const raw = await inspect.messages(threadId);
      expect(raw).toHaveLength(6);
      expect(raw.map((m) => m.rewoundAt !== undefined)).toEqual([false, false, false, true, true, true]);
      expect((await adapter.listMessages(threadId)).map((m) => m.content)).toEqual([
        'message 0',
        'message 1',
        'message 2',
      ]);
      expect((await adapter.listMessages(threadId, { limit: 2 })).map((m) => m.content)).toEqual([
        'message 1',
        'message 2',
      ]);
      const all = await adapter.listMessages(threadId, { includeRewound: true });
      expect(all.map((m) => m.content)).toHaveLength(6);
      expect(typeof all[4]?.rewoundAt).toBe('string');
      expect((await adapter.getMessage(messages[4]!.id))?.rewoundAt).toBeDefined();

      // the story goes on after the rewind; new messages come after the kept ones
      const next = storyMessage(threadId, { content: 'after the rewind' });
      await adapter.appendMessage(next);
      expect((await adapter.listMessages(threadId, { limit: 2 })).map((m) => m.content)).toEqual([
        'message 2',
        'after the rewind',
      ]);
      expect((await adapter.listMessages(threadId, { before: next.id, limit: 5 })).map((m) => m.content)).toEqual([
        'message 0',
        'message 1',
        'message 2',
      ]);
      // a second rewind marks only what is still in the story, and leaves earlier rewound rows as they were
      expect(await adapter.rewindMessages(threadId, messages[2]!.id)).toBe(2);
      expect((await adapter.listMessages(threadId)).map((m) => m.content)).toEqual(['message 0', 'message 1']);
      expect((await inspect.messages(threadId)).filter((m) => m.rewoundAt)).toHaveLength(5);
    });

    it('rewindMessages of an unknown, rewound or foreign message fails with NOT_FOUND and marks nothing', async () => {
      const { adapter, inspect } = context();
      const messages = await storyOf(adapter, 3);
      const other = await storyOf(adapter, 1);
      const threadId = messages[0]!.threadId;
      for (const id of [newId('msg'), other[0]!.id]) {
        const failure = await adapter.rewindMessages(threadId, id).catch((error: unknown) => error);
        expect(DreamdeckError.isInstance(failure) && failure.code).toBe('NOT_FOUND');
      }
      await adapter.rewindMessages(threadId, messages[2]!.id);
      const again = await adapter.rewindMessages(threadId, messages[2]!.id).catch((error: unknown) => error);
      expect(DreamdeckError.isInstance(again) && again.code).toBe('NOT_FOUND');
      expect((await inspect.messages(threadId)).map((m) => m.rewoundAt !== undefined)).toEqual([false, false, true]);
      expect((await inspect.messages(other[0]!.threadId))[0]?.rewoundAt).toBeUndefined();
    });

    it('updateMessage stores the shown version of a regenerated reply', async () => {
      const { adapter, inspect } = context();
      const [, reply] = await storyOf(adapter, 2);
      const alternatives = [{ content: 'first', createdAt: new Date().toISOString(), status: 'complete' as const }];
      const updated = await adapter.updateMessage(reply!.id, { alternatives, alternativeIndex: 0, content: 'second' });
      expect(updated).toMatchObject({ content: 'second', alternativeIndex: 0, alternatives });
      expect((await inspect.messages(reply!.threadId))[1]).toMatchObject({ alternativeIndex: 0, alternatives });
      // a patch without it leaves it
      expect((await adapter.updateMessage(reply!.id, { status: 'complete' })).alternativeIndex).toBe(0);
      expect((await adapter.updateMessage(reply!.id, { alternativeIndex: 1 })).alternativeIndex).toBe(1);
    });

    it('createThread records where a branch came from', async () => {
      const { adapter, inspect } = context();
      const [message] = await storyOf(adapter, 1);
      const branch = await adapter.createThread({
        userId: newId('usr'),
        persona: 'storyteller',
        title: 'A branch',
        parentThreadId: message!.threadId,
        branchedFromMessageId: message!.id,
      });
      expect(branch).toMatchObject({ parentThreadId: message!.threadId, branchedFromMessageId: message!.id });
      expect(await adapter.getThread(branch.id)).toMatchObject({ parentThreadId: message!.threadId });
      expect(await inspect.thread(branch.id)).toMatchObject({
        parentThreadId: message!.threadId,
        branchedFromMessageId: message!.id,
      });
      const plain = await adapter.createThread({ userId: newId('usr'), persona: 'storyteller' });
      expect(plain.parentThreadId).toBeUndefined();
      expect('branchedFromMessageId' in plain).toBe(false);
    });
  });
}
