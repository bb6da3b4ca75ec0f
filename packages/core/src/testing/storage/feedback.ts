import { describe, expect, it } from 'vitest';
import { newId, utcDay } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Cases for feedback: set, replace, aggregates, recent comments. */
export function describeFeedback(context: () => StorageSuiteContext): void {
  describe('feedback', () => {
    it('setFeedback stores value, comment and persona; a second call replaces it', async () => {
      const { adapter, inspect } = context();
      const messageId = newId('msg');
      const userId = newId('usr');
      const threadId = newId('thr');
      await adapter.setFeedback({
        messageId,
        threadId,
        userId,
        value: 1,
        comment: 'Loved the dragon',
        persona: 'bard',
      });
      expect(await inspect.feedback(messageId, userId)).toMatchObject({
        value: 1,
        comment: 'Loved the dragon',
        persona: 'bard',
      });

      await adapter.setFeedback({ messageId, threadId, userId, value: -1, persona: 'bard' });
      const raw = await inspect.feedback(messageId, userId);
      expect(raw?.value).toBe(-1);
      expect(raw?.comment ?? undefined).toBeUndefined();
      const read = await adapter.getFeedback(messageId, userId);
      expect(read).toMatchObject({ messageId, threadId, userId, value: -1, persona: 'bard' });
      expect(Date.parse(read!.createdAt)).not.toBeNaN();
    });

    it('getFeedback resolves null when the user gave none', async () => {
      const { adapter } = context();
      expect(await adapter.getFeedback(newId('msg'), newId('usr'))).toBeNull();
    });

    it('feedbackSummary counts up and down per persona and day', async () => {
      const { adapter } = context();
      const persona = newId('persona');
      const threadId = newId('thr');
      for (const value of [1, 1, -1] as const) {
        await adapter.setFeedback({ messageId: newId('msg'), threadId, userId: newId('usr'), value, persona });
      }
      const day = utcDay();
      const summary = await adapter.feedbackSummary({ sinceDay: day });
      expect(summary.find((row) => row.persona === persona)).toEqual({ persona, day, up: 2, down: 1 });
      const tomorrow = utcDay(new Date(Date.now() + 86_400_000));
      expect(
        (await adapter.feedbackSummary({ sinceDay: tomorrow })).find((row) => row.persona === persona),
      ).toBeUndefined();
    });

    it('recentFeedback lists only entries with a comment, newest first', async () => {
      const { adapter } = context();
      const threadId = newId('thr');
      const marker = newId('note');
      await adapter.setFeedback({
        messageId: newId('msg'),
        threadId,
        userId: newId('usr'),
        value: 1,
        comment: `${marker} first`,
      });
      await adapter.setFeedback({ messageId: newId('msg'), threadId, userId: newId('usr'), value: -1 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await adapter.setFeedback({
        messageId: newId('msg'),
        threadId,
        userId: newId('usr'),
        value: -1,
        comment: `${marker} second`,
      });
      const recent = (await adapter.recentFeedback({ limit: 50 })).filter((row) => row.comment?.startsWith(marker));
      expect(recent.map((row) => row.comment)).toEqual([`${marker} second`, `${marker} first`]);
      expect(await adapter.recentFeedback({ limit: 1 })).toHaveLength(1);
    });

    it('a message keeps its prompt variant; variantFeedback counts thumbs per persona and variant', async () => {
      const { adapter } = context();
      const persona = newId('persona').toLowerCase();
      const thread = await adapter.createThread({ userId: newId('usr'), persona });
      const ids: Record<string, string> = {};
      for (const variant of ['calm', 'bold', 'none']) {
        const id = newId('msg');
        ids[variant] = id;
        await adapter.appendMessage({
          id,
          threadId: thread.id,
          role: 'assistant',
          kind: 'narration',
          persona,
          content: `told the ${variant} way`,
          createdAt: new Date().toISOString(),
          status: 'complete',
          ...(variant !== 'none' && { variant }),
        });
      }
      expect((await adapter.getMessage(ids.calm as string))?.variant).toBe('calm');
      expect((await adapter.getMessage(ids.none as string))?.variant).toBeUndefined();
      expect((await adapter.listMessages(thread.id)).map((m) => m.variant ?? null)).toEqual(['calm', 'bold', null]);
      // an update leaves the variant alone
      await adapter.updateMessage(ids.bold as string, { content: 'told again', status: 'complete' });
      expect((await adapter.getMessage(ids.bold as string))?.variant).toBe('bold');
      const vote = (messageId: string, value: 1 | -1) =>
        adapter.setFeedback({ messageId, threadId: thread.id, userId: newId('usr'), value, persona });
      await vote(ids.calm as string, 1);
      await vote(ids.calm as string, 1);
      await vote(ids.calm as string, -1);
      await vote(ids.bold as string, -1);
      await vote(ids.none as string, 1);
      const counted = (await adapter.variantFeedback()).filter((row) => row.persona === persona);
      expect(counted).toEqual([
        { persona, variant: 'bold', up: 0, down: 1 },
        { persona, variant: 'calm', up: 2, down: 1 },
      ]);
    });
  });
}
