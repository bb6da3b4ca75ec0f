import { describe, expect, it } from 'vitest';
import type { CommandName } from './router.js';
import { runCommand } from './run-command.js';
import { newMessage } from './story-messages.js';
import { createTestTurn, type TestTurn } from './tasks/test-turn.js';
import type { TurnInput } from './turn-context.js';
import { createTurnTasks, type TurnKit } from './turn-tasks.js';

/** A turn whose player typed `text`, and the kit its commands run with. */
async function commandTurn(
  turn: TestTurn,
  text: string,
): Promise<{ kit: TurnKit; input: TurnInput; playerId: string }> {
  const player = newMessage(turn.threadId, turn.turnId, { role: 'user', kind: 'player', content: text });
  await turn.storage.appendMessage(player);
  const input: TurnInput = {
    turnId: turn.turnId,
    threadId: turn.threadId,
    userId: turn.userId,
    persona: 'storyteller',
    action: { type: 'send', text, playerId: player.id },
    storyboard: { imageGeneration: false, storyboardReview: false },
  };
  return { kit: { context: turn.context, tasks: createTurnTasks(turn.context) }, input, playerId: player.id };
}

/** Runs `/name args` as a turn's command: what ran, and the first message it answered with. */
async function command(turn: TestTurn, name: CommandName, args = '') {
  const { kit, input, playerId } = await commandTurn(turn, `/${name} ${args}`.trim());
  const run = await turn.run(() => runCommand(kit, input, name, args, playerId));
  return { run, first: await turn.storage.getMessage(run.result?.[0] ?? '') };
}

describe('runCommand', () => {
  it('/reset starts a new chapter: a system message with a reset part, and drops the rolling summary', async () => {
    const turn = await createTestTurn();
    await turn.storage.setThreadData(turn.threadId, 'dreamdeck:summary', {
      text: 'Mira sailed to Saltford.',
      throughMessageId: 'msg_old',
      updatedAt: new Date().toISOString(),
    });
    const { run, first } = await command(turn, 'reset');
    expect(run.tasks).toEqual(['reply', 'reset-memory']);
    expect(await turn.storage.getThreadData(turn.threadId)).not.toHaveProperty('dreamdeck:summary');
    expect(first).toMatchObject({
      role: 'system',
      kind: 'system',
      content: '— A new chapter begins. The GM has set the earlier story aside. —',
      parts: [{ type: 'reset' }],
    });
  });

  it('/search without web search, /todo with no to-dos, and /help answer in one reply each (none says "not available yet")', async () => {
    const turn = await createTestTurn();
    const { kit, input, playerId } = await commandTurn(turn, '/search');
    const run = await turn.run(async () => [
      ...(await runCommand(kit, input, 'search', 'the bell', playerId)),
      ...(await runCommand(kit, input, 'todo', 'list', playerId)),
      ...(await runCommand(kit, input, 'help', '', playerId)),
    ]);
    expect(run.tasks).toEqual(['web-search', 'todo-command', 'help']);
    const replies = await Promise.all((run.result ?? []).map((id) => turn.storage.getMessage(id)));
    expect(replies.map((m) => [m?.kind, m?.content.split('\n')[0]])).toEqual([
      ['search', 'Web search is switched off on this server.'],
      ['todo', 'You have no open to-dos. Add one with `/todo add <text>`.'],
      ['help', 'Commands:'],
    ]);
    expect(replies.some((m) => m?.content.includes('not available yet'))).toBe(false);
  });

  it('/storyboard with image generation off says so and paints nothing', async () => {
    const turn = await createTestTurn();
    const { run, first: message } = await command(turn, 'storyboard');
    expect(run.tasks).toEqual(['reply']);
    expect(message).toMatchObject({ kind: 'storyboard', content: 'Image generation is switched off on this server.' });
    expect(message?.parts).toEqual([
      { type: 'error', code: 'FEATURE_DISABLED', message: 'Image generation is switched off.' },
    ]);
  });

  it('/storyboard paints the latest narration, after the player approves it', async () => {
    const turn = await createTestTurn();
    const { kit, input, playerId } = await commandTurn(turn, '/storyboard');
    const scene = newMessage(turn.threadId, 'turn_0', {
      role: 'assistant',
      kind: 'narration',
      content: 'The harbour of Saltmere at dusk, the drowned bell ringing under black water.',
    });
    await turn.storage.appendMessage(scene);
    const reviewed = { ...input, storyboard: { imageGeneration: true, storyboardReview: true } };
    const body = () => runCommand(kit, reviewed, 'storyboard', '', playerId);
    const paused = await turn.run(body);
    expect(paused.tasks).toEqual(['storyboard-prompts']);
    expect(paused.interrupts).toEqual([
      expect.objectContaining({ interruptId: `int_${turn.turnId}_storyboard`, kind: 'approve-storyboard' }),
    ]);
    const resumed = await turn.run(body, { value: true });
    expect(resumed.replayed).toEqual(['storyboard-prompts']);
    expect(resumed.tasks).toEqual(['paint']);
    const painted = await turn.storage.getMessage(resumed.result?.[0] ?? '');
    expect(painted).toMatchObject({ kind: 'storyboard', status: 'complete' });
    // the prompts were sketched once, from the stored narration
    expect(turn.events.filter((e) => e.type === 'status' && e.text.startsWith('Sketching'))).toHaveLength(1);
  });

  it('/write narrates the next passage about its subject', async () => {
    const turn = await createTestTurn();
    const { run, first: narration } = await command(turn, 'write', 'a storm hits the harbour');
    expect(run.tasks).toEqual(['narrate']);
    expect(narration).toMatchObject({ kind: 'narration', status: 'complete' });
    expect(narration?.content.length).toBeGreaterThan(50);
  });
});
