import { task } from '@langchain/langgraph';
import { readUserPersonas } from '../../lore/lore-book.js';
import { COMMANDS } from '../router.js';
import { sendReply } from '../story-messages.js';
import type { TurnContext } from '../turn-context.js';

/** The reply to `/help` (and to an unknown command, after `intro`): every command with its usage. */
export function helpText(intro = ''): string {
  return `${intro}Commands:\n\n${Object.values(COMMANDS)
    .map((command) => `- \`${command.usage}\`: ${command.help}`)
    .join('\n')}\n\nOr just write what your character does.`;
}

/** `/persona [id or name]` in a thread. */
export interface SwitchPersonaInput {
  threadId: string;
  turnId: string;
  args: string;
}

/**
 * The `switch-persona` task (`/persona`): with no argument, lists the personas (the player's own,
 * imported from character cards, too); with an id or a
 * name, makes that persona the thread's GM; with one that does not exist, says so and lists them.
 * Resolves to the id of its `system` reply.
 */
export function createSwitchPersonaTask(context: TurnContext) {
  return task('switch-persona', async (input: SwitchPersonaInput): Promise<string> => {
    // the configured personas, and those the player imported from character cards
    const all = new Map(context.personas());
    const thread = await context.storage.getThread(input.threadId);
    if (thread) for (const own of await readUserPersonas(context.storage.store, thread.userId)) all.set(own.id, own);
    const wanted = input.args.trim().toLowerCase();
    const list = [...all.values()].map((p) => `- \`${p.id}\` ${p.icon} **${p.name}**: ${p.description}`).join('\n');
    if (!wanted)
      return sendReply(context, {
        ...input,
        kind: 'system',
        content: `Personas:\n\n${list}\n\nSwitch with \`/persona <id>\`.`,
      });
    const next = all.get(wanted) ?? [...all.values()].find((p) => p.name.toLowerCase() === wanted);
    if (!next)
      return sendReply(context, {
        ...input,
        kind: 'system',
        content: `There is no persona "${input.args.trim()}". Personas:\n\n${list}`,
      });
    await context.storage.updateThread(input.threadId, { persona: next.id });
    return sendReply(context, {
      ...input,
      kind: 'system',
      // the new GM says it
      persona: next.id,
      content: `${next.icon} **${next.name}** takes over the story.`,
    });
  });
}

/** The thread to export, and the turn that asked. */
export interface ExportStoryInput {
  threadId: string;
  turnId: string;
}

/** The reply to `/save`: where the story is downloaded (a few hundred characters, whatever the story's size). */
export function saveReplyText(threadId: string): string {
  return [
    'Your story is saved as you play; nothing else to do.',
    '',
    `To download a copy, use your app's export (download) action, or the HTTP API: \`GET /threads/${threadId}/export\` (markdown; add \`?format=json\` for JSON).`,
  ].join('\n');
}

/**
 * The `export-story` task (`/save`): a short `system` reply that tells the player how to download
 * the story (`GET /threads/:id/export`). The story itself is never put into a message: an export
 * stored in the story was part of every later export, so each `/save` doubled the thread (issue
 * 18). Exports leave out `/save` turns (`storyForExport`). Resolves to the reply's id.
 */
export function createExportStoryTask(context: TurnContext) {
  return task(
    'export-story',
    async (input: ExportStoryInput): Promise<string> =>
      sendReply(context, { ...input, kind: 'system', content: saveReplyText(input.threadId) }),
  );
}
