import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../router.js';
import { newMessage } from '../story-messages.js';
import { createExportStoryTask, createSwitchPersonaTask, helpText } from './commands.js';
import { createTestTurn, type TestTurn } from './test-turn.js';

const replies = async (turn: TestTurn) => (await turn.storage.listMessages(turn.threadId)).map((m) => m.content);

describe('the switch-persona task', () => {
  it('lists every persona when asked for none', async () => {
    const turn = await createTestTurn();
    const switchPersona = createSwitchPersonaTask(turn.context);
    const run = await turn.run(() => switchPersona({ threadId: turn.threadId, turnId: turn.turnId, args: ' ' }));
    expect(run.tasks).toEqual(['switch-persona']);
    const [message] = await turn.storage.listMessages(turn.threadId);
    expect(message).toMatchObject({ id: run.result, role: 'tool', kind: 'system', turnId: turn.turnId });
    for (const persona of turn.context.personas().values()) expect(message?.content).toContain(`\`${persona.id}\``);
    expect(message?.content).toMatch(/Switch with `\/persona <id>`/);
    expect((await turn.storage.getThread(turn.threadId))?.persona).toBe('storyteller');
  });

  it('switches the thread to a persona given by id or by name', async () => {
    const turn = await createTestTurn();
    const switchPersona = createSwitchPersonaTask(turn.context);
    const base = { threadId: turn.threadId, turnId: turn.turnId };
    await turn.run(() => switchPersona({ ...base, args: 'Dungeon-Master' }));
    expect((await turn.storage.getThread(turn.threadId))?.persona).toBe('dungeon-master');
    await turn.run(() => switchPersona({ ...base, args: 'lorekeeper' }));
    expect((await turn.storage.getThread(turn.threadId))?.persona).toBe('lorekeeper');
    await turn.run(() => switchPersona({ ...base, args: 'friend' }));
    expect(await replies(turn)).toEqual([
      '🐉 **Dungeon Master** takes over the story.',
      '📚 **Lorekeeper** takes over the story.',
      '🙂 **Friend** takes over the story.',
    ]);
    // each reply is emitted whole: start, its text, end
    expect(turn.events.map((e) => e.type).slice(0, 3)).toEqual(['message-start', 'message-delta', 'message-end']);
  });

  it('keeps the persona and says so for one that does not exist', async () => {
    const turn = await createTestTurn();
    const switchPersona = createSwitchPersonaTask(turn.context);
    await turn.run(() => switchPersona({ threadId: turn.threadId, turnId: turn.turnId, args: 'the Mayor' }));
    const [content] = await replies(turn);
    expect(content).toMatch(/^There is no persona "the Mayor"\. Personas:/);
    expect(content).toContain('`storyteller`');
    expect((await turn.storage.getThread(turn.threadId))?.persona).toBe('storyteller');
  });
});

describe('the export-story task', () => {
  // Regression (issue 18): the reply was the whole story, earlier /save replies included, so each
  // /save doubled the thread.
  it('answers with a short note on how to download the story, never the story itself', async () => {
    const turn = await createTestTurn();
    await turn.storage.updateThread(turn.threadId, { title: 'The Drowned Bell' });
    await turn.storage.appendMessage(
      newMessage(turn.threadId, 'turn_0', { role: 'user', kind: 'player', content: 'I ring the bell' }),
    );
    await turn.storage.appendMessage(
      newMessage(turn.threadId, 'turn_0', {
        role: 'assistant',
        kind: 'narration',
        persona: 'storyteller',
        content: 'The sea answers.',
      }),
    );
    const exportStory = createExportStoryTask(turn.context);
    const run = await turn.run(() => exportStory({ threadId: turn.threadId, turnId: turn.turnId }));
    expect(run.tasks).toEqual(['export-story']);
    const exported = await turn.storage.getMessage(run.result as string);
    expect(exported).toMatchObject({ kind: 'system', role: 'tool' });
    expect(exported?.content).toContain(`GET /threads/${turn.threadId}/export`);
    expect(exported?.content).not.toContain('The sea answers.');
    expect(exported?.content.length).toBeLessThan(600);
  });
});

describe('helpText', () => {
  it('lists every command with its usage, after an intro when given', () => {
    const text = helpText('I know no `/dance`. ');
    expect(text.startsWith('I know no `/dance`. Commands:')).toBe(true);
    for (const command of Object.values(COMMANDS)) expect(text).toContain(`- \`${command.usage}\`: ${command.help}`);
    expect(text.endsWith('Or just write what your character does.')).toBe(true);
  });
});
