import { diceLine } from '../dice/roll-dice.js';
import { DreamdeckError } from '../errors.js';
import { narrateAndIllustrate } from './illustrate.js';
import { type Route, routeByRules } from './router.js';
import { runCommand } from './run-command.js';
import { askSurvey } from './survey-step.js';
import type { NarrationRequest } from './tasks/narrate.js';
import { searchLines } from './tasks/web-search.js';
import type { TurnInput, TurnOutput } from './turn-context.js';
import type { TurnKit } from './turn-tasks.js';

/**
 * The body of the story entrypoint: one turn. A player's message is routed and followed; a
 * regenerate narrates the same moment again. Every side effect happens in a task, because the
 * body runs again from the top when a paused turn resumes.
 */
export function createTurn(kit: TurnKit): (input: TurnInput) => Promise<TurnOutput> {
  return (input) =>
    input.action.type === 'regenerate'
      ? regenerate(kit, input, input.action.messageId)
      : input.action.type === 'continue'
        ? continueReply(kit, input, input.action.messageId)
        : send(kit, input, input.action.text, input.action.playerId);
}

/** A player's message (stored as `playerId`): route it, then follow the route. */
async function send(kit: TurnKit, input: TurnInput, text: string, playerId: string): Promise<TurnOutput> {
  const { tasks } = kit;
  const ids = [playerId];
  // rules are pure, so they run in the body; the model router only when rules can't decide
  const routed = routeByRules(text) ?? (await tasks.route({ threadId: input.threadId, text }));
  switch (routed.type) {
    case 'command':
      ids.push(...(await runCommand(kit, input, routed.name, routed.args, playerId)));
      break;
    case 'unknown-command':
      ids.push(
        await tasks.help({
          threadId: input.threadId,
          turnId: input.turnId,
          userId: input.userId,
          args: '',
          intro: `I don't know the command \`/${routed.name}\`. `,
        }),
      );
      break;
    case 'dice': {
      const dice = await tasks.rollDice({
        threadId: input.threadId,
        turnId: input.turnId,
        userId: input.userId,
        notation: routed.notation,
        ...(routed.reason && { reason: routed.reason }),
      });
      // a bare `/roll` is answered by the roll alone; a roll within the story is narrated
      if (routed.story || routed.via !== 'command') {
        ids.push(
          ...(await narrateAndIllustrate(kit, input, narrationFor(input, playerId, rollPrompt(routed, dice.line)))),
        );
      }
      break;
    }
    case 'storyboard':
      ids.push(...(await runCommand(kit, input, 'storyboard', '', playerId)));
      break;
    case 'knowledge': {
      // the prompt's knowledge section brings the passages the player sees (and cites them)
      ids.push(...(await narrateAndIllustrate(kit, input, narrationFor(input, playerId, text))));
      break;
    }
    case 'search': {
      // the router's search route: with search off (or not set up) the task does nothing and the GM narrates
      const search = await tasks.webSearch({
        threadId: input.threadId,
        turnId: input.turnId,
        userId: input.userId,
        query: routed.query,
        via: 'model',
      });
      if (search.messageId) ids.push(search.messageId);
      const prompt = [text, ...search.lines].join('\n');
      ids.push(...(await narrateAndIllustrate(kit, input, narrationFor(input, playerId, prompt))));
      break;
    }
    default:
      ids.push(...(await narrateAndIllustrate(kit, input, narrationFor(input, playerId, text))));
  }
  if (input.survey) askSurvey(kit, input, input.survey);
  return { turnId: input.turnId, messageIds: ids };
}

/**
 * A regenerate: the reply `messageId` narrated again from the player's message before it and that
 * turn's dice lines; its old text becomes an alternative.
 */
async function regenerate(kit: TurnKit, input: TurnInput, messageId: string): Promise<TurnOutput> {
  const { storage } = kit.context;
  const target = await storage.getMessage(messageId);
  const history = await storage.listMessages(input.threadId, { limit: 30, before: messageId });
  const player = [...history].reverse().find((m) => m.role === 'user');
  if (!target || !player) throw new DreamdeckError('NOT_FOUND', 'There is no reply to regenerate.');
  const rolls = history.filter((m) => m.turnId === player.turnId && m.kind === 'dice');
  const lines = rolls.flatMap((m) => m.parts?.flatMap((p) => (p.type === 'dice' ? [diceLine(p.roll)] : [])) ?? []);
  // a narration after a web search is told again with the same results (issue 22)
  const found = history
    .filter((m) => m.turnId === player.turnId && m.kind === 'search')
    .flatMap((m) => m.parts?.flatMap((p) => (p.type === 'search-result' ? [p] : [])) ?? []);
  lines.push(...searchLines(found));
  const narration = await kit.tasks.narrate({
    threadId: input.threadId,
    turnId: input.turnId,
    userId: input.userId,
    persona: input.persona,
    // which take this is, as a tool line: a model writes it differently (the demo model seeds from it)
    prompt: [player.content, ...lines, `Version: ${(target.alternatives?.length ?? 0) + 2} (tell it differently)`].join(
      '\n',
    ),
    before: player.id,
    replace: messageId,
  });
  return { turnId: input.turnId, messageIds: [narration.messageId] };
}

/** `session.continue()`: the reply `messageId` written on in place (see docs/story-controls.md). */
async function continueReply(kit: TurnKit, input: TurnInput, messageId: string): Promise<TurnOutput> {
  const narration = await kit.tasks.narrate({
    threadId: input.threadId,
    turnId: input.turnId,
    userId: input.userId,
    persona: input.persona,
    prompt: CONTINUE_PROMPT,
    extend: messageId,
  });
  return { turnId: input.turnId, messageIds: [narration.messageId] };
}

/** What the GM is asked when the player wants the latest reply to go on. */
const CONTINUE_PROMPT =
  'Continue your last reply from exactly where it stopped. Do not repeat or summarise it; write what happens next.';

/** The narration of a player's message: `prompt` in the turn's persona, over the story before it. */
function narrationFor(input: TurnInput, playerId: string, prompt: string): NarrationRequest {
  return {
    threadId: input.threadId,
    turnId: input.turnId,
    userId: input.userId,
    persona: input.persona,
    prompt,
    before: playerId,
  };
}

/** What the GM narrates after a roll: the player's words (or the roll itself), then its result line. */
function rollPrompt(routed: Extract<Route, { type: 'dice' }>, line: string | undefined): string {
  return [routed.story || `I roll ${routed.notation}${routed.reason ? ` for ${routed.reason}` : ''}.`, line]
    .filter(Boolean)
    .join('\n');
}
