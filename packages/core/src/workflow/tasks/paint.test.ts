import { describe, expect, it } from 'vitest';
import type { DreamdeckEvents } from '../../events.js';
import type { StoryMessage } from '../../types.js';
import { createPaintTask } from './paint.js';
import { createTestTurn, type TestTurn } from './test-turn.js';

const paintInput = (turn: TestTurn, prompts: string[]) => ({
  threadId: turn.threadId,
  turnId: turn.turnId,
  userId: turn.userId,
  prompts,
});

describe('the paint task', () => {
  it('paints every prompt into one storyboard message, an image event per scene, in prompt order', async () => {
    const turn = await createTestTurn();
    const generated: DreamdeckEvents['image-generated'][0][] = [];
    turn.context.events.on('image-generated', (event) => generated.push(event));
    const paint = createPaintTask(turn.context);
    const prompts = ['A drowned bell under black water', 'A lamplighter running along the pier'];
    const run = await turn.run(() => paint(paintInput(turn, prompts)));
    expect(run.tasks).toEqual(['paint']);
    const stored = (await turn.storage.getMessage(run.result as string)) as StoryMessage;
    expect(stored).toMatchObject({ kind: 'storyboard', role: 'tool', status: 'complete' });
    expect(stored.content).toBe('🖼️ Storyboard: 2 scenes.');
    const images = stored.parts?.flatMap((part) => (part.type === 'image' ? [part.image] : [])) ?? [];
    expect(images.map((image) => image.prompt)).toEqual(prompts);
    for (const image of images) expect(image.url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(turn.events[0]).toEqual({ type: 'message-start', messageId: stored.id, role: 'tool', kind: 'storyboard' });
    expect(turn.events.at(-1)).toEqual({ type: 'message-end', message: stored });
    const statuses = turn.events.flatMap((e) => (e.type === 'status' ? [e.text] : []));
    expect(statuses.sort()).toEqual(['Painting scene 1 of 2', 'Painting scene 2 of 2']);
    const painted = turn.events.flatMap((e) => (e.type === 'image' ? [e.image.id] : []));
    expect(painted.sort()).toEqual(images.map((image) => image.id).sort());
    expect(generated.map((event) => event.imageId).sort()).toEqual(painted.sort());
    expect(generated[0]).toMatchObject({ userId: turn.userId, threadId: turn.threadId, adapter: 'demo-images' });
  });

  it('paints what fits the imagesPerMinute limit and tells the player about the rest', async () => {
    const turn = await createTestTurn({ config: { limits: { imagesPerMinute: 1, imageConcurrency: 1 } } });
    const paint = createPaintTask(turn.context);
    const run = await turn.run(() => paint(paintInput(turn, ['A tower', 'A bridge', 'A ship'])));
    const stored = (await turn.storage.getMessage(run.result as string)) as StoryMessage;
    expect(stored.status).toBe('complete');
    expect(stored.content).toBe('🖼️ Storyboard: 1 scene.');
    expect(stored.parts?.filter((part) => part.type === 'image')).toHaveLength(1);
    const error = stored.parts?.find((part) => part.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'MODEL_UNAVAILABLE' });
    expect(turn.events.filter((e) => e.type === 'image')).toHaveLength(1);
  });

  it('stores a storyboard that could not be painted as an error when no image adapter is configured', async () => {
    const turn = await createTestTurn({ images: undefined });
    const paint = createPaintTask(turn.context);
    const run = await turn.run(() => paint(paintInput(turn, ['A tower'])));
    const stored = (await turn.storage.getMessage(run.result as string)) as StoryMessage;
    expect(stored.status).toBe('error');
    expect(stored.content).toBe(
      '🖼️ The storyboard could not be painted this time. No image adapter is configured. The story goes on.',
    );
    expect(stored.parts).toEqual([
      { type: 'error', code: 'MODEL_UNAVAILABLE', message: 'No image adapter is configured.' },
    ]);
    expect(turn.events.some((e) => e.type === 'image' || e.type === 'status')).toBe(false);
  });
});
