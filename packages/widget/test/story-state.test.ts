import { describe, expect, it } from 'vitest';
import type { LoadedMessage, StoryMessage, TurnEvent } from '../src/protocol.js';
import { applyTurnEvent, feedbackOf, regenerableId, settleStreaming } from '../src/story-state.js';

const roll = { notation: '4d6kh3', rolls: [{ value: 6 }, { value: 1, dropped: true }], total: 6, output: '' };

function play(events: TurnEvent[], start: StoryMessage[] = []): StoryMessage[] {
  return events.reduce((messages, event) => applyTurnEvent(messages, event, 't1'), start);
}

describe('applyTurnEvent', () => {
  it('builds a streaming message from start and deltas, then takes the stored one', () => {
    const streaming = play([
      { type: 'message-start', messageId: 'm1', role: 'assistant', kind: 'narration', persona: 'gm' },
      { type: 'message-delta', messageId: 'm1', text: 'The door ' },
      { type: 'message-delta', messageId: 'm1', text: 'creaks.' },
    ]);
    expect(streaming).toHaveLength(1);
    expect(streaming[0]).toMatchObject({ id: 'm1', content: 'The door creaks.', status: 'streaming', persona: 'gm' });
    const stored = { ...streaming[0]!, content: 'The door creaks open.', status: 'complete' as const };
    const ended = applyTurnEvent(streaming, { type: 'message-end', message: stored }, 't1');
    expect(ended).toEqual([stored]);
  });

  it('keeps untouched messages identical so only the changed one re-renders', () => {
    const before = play([
      { type: 'message-start', messageId: 'a', role: 'assistant', kind: 'narration' },
      { type: 'message-start', messageId: 'b', role: 'assistant', kind: 'narration' },
    ]);
    const after = applyTurnEvent(before, { type: 'message-delta', messageId: 'b', text: 'x' }, 't1');
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  it('adds dice and image parts once, creating the tool message when needed', () => {
    const image = { id: 'i1', url: 'data:image/png;base64,AA', mimeType: 'image/png', prompt: 'a cave' };
    const messages = play([
      { type: 'dice-roll', messageId: 'd1', roll },
      { type: 'dice-roll', messageId: 'd1', roll },
      { type: 'image', messageId: 's1', image },
      { type: 'image', messageId: 's1', image },
    ]);
    expect(messages.map((m) => [m.id, m.kind, m.parts?.length])).toEqual([
      ['d1', 'dice', 1],
      ['s1', 'storyboard', 1],
    ]);
  });

  it('keeps dice parts that arrived before their message-start (the server sends dice-roll first)', () => {
    const messages = play([
      { type: 'dice-roll', messageId: 'd1', roll },
      { type: 'message-start', messageId: 'd1', role: 'tool', kind: 'dice' },
      { type: 'message-delta', messageId: 'd1', text: 'You rolled 6.' },
    ]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.parts).toEqual([{ type: 'dice', roll }]);
    expect(messages[0]?.content).toBe('You rolled 6.');
  });

  it('resets a regenerated reply in place (same id)', () => {
    const first = play([
      { type: 'message-start', messageId: 'm1', role: 'assistant', kind: 'narration' },
      { type: 'message-delta', messageId: 'm1', text: 'old' },
      { type: 'message-start', messageId: 'm1', role: 'assistant', kind: 'narration' },
      { type: 'message-delta', messageId: 'm1', text: 'new' },
    ]);
    expect(first).toHaveLength(1);
    expect(first[0]?.content).toBe('new');
  });

  it('marks the message a fact came from once per memory (memory-added), and creates no message for an unknown id', () => {
    const said: StoryMessage = {
      id: 'p1',
      threadId: 't1',
      role: 'user',
      kind: 'player',
      content: 'My name is Mira.',
      createdAt: '2026-01-01T00:00:00.000Z',
      status: 'complete',
    };
    const added = {
      type: 'memory-added',
      messageId: 'p1',
      memoryId: 'mem_1',
    } as const;
    const messages = play([added, added, { ...added, memoryId: 'mem_2' }], [said]);
    expect(messages[0]?.parts).toEqual([
      { type: 'remembered', memoryId: 'mem_1' },
      { type: 'remembered', memoryId: 'mem_2' },
    ]);
    const unknown = applyTurnEvent(messages, { ...added, messageId: 'elsewhere' }, 't1');
    expect(unknown).toBe(messages);
  });

  it('ignores events that do not change messages', () => {
    const messages: StoryMessage[] = [];
    expect(applyTurnEvent(messages, { type: 'status', text: 'Painting' }, 't1')).toBe(messages);
  });
});

describe('settleStreaming and regenerableId', () => {
  const base = { threadId: 't1', createdAt: '', content: 'x' };
  it('marks streaming messages aborted', () => {
    const messages: StoryMessage[] = [{ ...base, id: 'a', role: 'assistant', kind: 'narration', status: 'streaming' }];
    expect(settleStreaming(messages)[0]?.status).toBe('aborted');
  });

  it('offers only the latest narration after the last player message', () => {
    const player: StoryMessage = { ...base, id: 'p', role: 'user', kind: 'player', status: 'complete' };
    const reply: StoryMessage = { ...base, id: 'r', role: 'assistant', kind: 'narration', status: 'complete' };
    const dice: StoryMessage = { ...base, id: 'd', role: 'tool', kind: 'dice', status: 'complete' };
    expect(regenerableId([player, reply, dice])).toBe('r');
    expect(regenerableId([reply, player])).toBeUndefined();
    expect(regenerableId([player, { ...reply, status: 'streaming' }])).toBeUndefined();
  });
});

describe('feedbackOf', () => {
  const message = (id: string, feedback?: { value: 1 | -1; comment?: string }): LoadedMessage => ({
    id,
    threadId: 't1',
    role: 'assistant',
    kind: 'narration',
    content: id,
    createdAt: '2025-01-01T00:00:00.000Z',
    status: 'complete',
    ...(feedback && { feedback }),
  });

  it("collects the caller's ratings from loaded messages", () => {
    const map = feedbackOf([message('a', { value: 1, comment: 'nice' }), message('b'), message('c', { value: -1 })]);
    expect([...map]).toEqual([
      ['a', 1],
      ['c', -1],
    ]);
  });

  it('adds an older page to the ratings already known without losing them', () => {
    const known = new Map<string, 1 | -1>([['new', 1]]);
    const map = feedbackOf([message('old', { value: -1 })], known);
    expect(map.get('new')).toBe(1);
    expect(map.get('old')).toBe(-1);
    expect(known.has('old')).toBe(false);
  });
});
