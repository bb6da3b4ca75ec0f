import { narrateAndIllustrate, storyboard, storyboardFlags } from './illustrate.js';
import type { CommandName } from './router.js';
import { switchedOff } from './switched-off.js';
import type { SceneSource } from './tasks/storyboard.js';
import type { TurnInput } from './turn-context.js';
import type { TurnKit } from './turn-tasks.js';

/**
 * Runs a slash command (all but `/roll`, which the turn rolls itself) by calling its tasks. A step
 * of the turn body, not a task: `/storyboard` may pause at an interrupt. `before` is the player's
 * message, the end of the window a `/write` narration reads. Resolves to the new messages' ids.
 */
export async function runCommand(
  kit: TurnKit,
  input: TurnInput,
  name: CommandName,
  args: string,
  before: string,
): Promise<string[]> {
  const { tasks } = kit;
  const base = { threadId: input.threadId, turnId: input.turnId };
  switch (name) {
    case 'help':
      return [await tasks.help({ ...base, userId: input.userId, args })];
    case 'persona':
      return [await tasks.switchPersona({ ...base, args })];
    case 'reset': {
      const id = await tasks.reply({
        ...base,
        kind: 'system',
        role: 'system',
        content: '— A new chapter begins. The GM has set the earlier story aside. —',
        parts: [{ type: 'reset' }],
      });
      await tasks.resetMemory({ threadId: input.threadId });
      return [id];
    }
    case 'remember':
      return [await tasks.rememberCommand({ ...base, userId: input.userId, args })];
    case 'forget':
      return [await tasks.forgetCommand({ ...base, userId: input.userId, args })];
    case 'memory':
      return [await tasks.listMemories({ ...base, userId: input.userId, args })];
    case 'save':
      return [await tasks.exportStory(base)];
    case 'write':
      return narrateAndIllustrate(kit, input, {
        ...base,
        userId: input.userId,
        persona: input.persona,
        before,
        prompt: args
          ? `Write the next passage of the story about: ${args}`
          : 'Continue the story with the next passage.',
      });
    case 'storyboard': {
      const flags = await storyboardFlags(kit, input);
      if (!flags.imageGeneration) {
        return [
          await tasks.reply({
            ...base,
            kind: 'storyboard',
            content: await switchedOff(kit.context, 'imageGeneration', input.userId, 'Image generation'),
            parts: [{ type: 'error', code: 'FEATURE_DISABLED', message: 'Image generation is switched off.' }],
          }),
        ];
      }
      const last = (await kit.context.storage.listMessages(input.threadId, { limit: 20 }))
        .reverse()
        .find((m) => m.kind === 'narration' && m.content);
      const source: SceneSource = args
        ? { scene: args }
        : last
          ? { messageId: last.id }
          : { scene: 'The opening scene of a new story' };
      return storyboard(kit, input, source, flags.storyboardReview);
    }
    case 'search': {
      const search = await tasks.webSearch({ ...base, userId: input.userId, query: args, via: 'command' });
      const ids = search.messageId ? [search.messageId] : [];
      if (!search.lines.length) return ids;
      // the GM weaves the findings into the story
      return [
        ...ids,
        ...(await narrateAndIllustrate(kit, input, {
          ...base,
          userId: input.userId,
          persona: input.persona,
          before,
          prompt: [`I search the web for: ${args}`, ...search.lines].join('\n'),
        })),
      ];
    }
    case 'lore': {
      const question = args.trim();
      if (!question) {
        return [
          await tasks.reply({
            ...base,
            kind: 'help',
            content: 'Ask the knowledge base a question: `/lore who rules the harbour?`',
          }),
        ];
      }
      const found = await tasks.lookupKnowledge({ userId: input.userId, threadId: input.threadId, query: question });
      if (!found.passages) {
        return [
          await tasks.reply({
            ...base,
            kind: 'knowledge',
            content: found.enabled
              ? 'Your documents say nothing about that. Add documents under World → Documents, or ask another way.'
              : 'The knowledge base is switched off on this server.',
          }),
        ];
      }
      // the narration's knowledge section holds the passages for the question, and cites them
      return narrateAndIllustrate(kit, input, {
        ...base,
        userId: input.userId,
        persona: input.persona,
        before,
        prompt: question,
      });
    }
    case 'todo':
      return [await tasks.todoCommand({ ...base, userId: input.userId, args })];
    case 'report':
      return [await tasks.dailyReport({ ...base, userId: input.userId, args })];
    default:
      return [await tasks.help({ ...base, userId: input.userId, args: '' })];
  }
}
