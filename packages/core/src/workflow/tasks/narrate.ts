import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { task } from '@langchain/langgraph';
import { DreamdeckError, isAbortError } from '../../errors.js';
import { recentWindow } from '../../memory/context-window.js';
import { modelError } from '../../models/model-adapter.js';
import { streamReply } from '../../models/stream-reply.js';
import { type Persona, renderPersonaPrompt } from '../../personas/personas.js';
import type { MessagePart, StoryMessage } from '../../types.js';
import { newMessage } from '../story-messages.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** A narration request. */
export interface NarrationRequest {
  threadId: string;
  turnId: string;
  persona: string;
  /** The player's words and tool lines, as the final human message. */
  prompt: string;
  /** Window messages are taken from before this message id. */
  before: string;
  /** Regenerate: the reply to replace (its old text becomes an alternative). */
  replace?: string;
}

/**
 * The `narrate` task: the GM's reply, streamed token by token as `message-delta` events into a
 * `narration` message (a new one, or with `replace` the old reply, whose text becomes an
 * alternative). The turn waits for its last write however the turn ends (`sink.settling`), so an
 * aborted reply keeps its partial text as `aborted`. Throws `MODEL_UNAVAILABLE` on an empty reply.
 */
export function createNarrateTask(context: TurnContext) {
  return task('narrate', (request: NarrationRequest) => {
    const work = narrateNow(context, request);
    sinkFor(context, request.threadId).settling.push(work);
    return work;
  });
}

/** The persona `id`, else the configured default, else the first there is. */
function personaFor(context: TurnContext, id: string): Persona {
  const all = context.personas();
  return all.get(id) ?? all.get(context.config().defaultPersona) ?? ([...all.values()][0] as Persona);
}

async function narrateNow(context: TurnContext, request: NarrationRequest): Promise<{ messageId: string }> {
  const { storage } = context;
  const sink = sinkFor(context, request.threadId);
  const config = context.config();
  const who = personaFor(context, request.persona);
  const flags = await context.flags.effective();
  const tools = [
    flags.diceRolling && 'roll dice (the engine rolls; you narrate the result)',
    flags.imageGeneration && 'storyboard images of the scene',
    flags.knowledge && 'lore from the knowledge base',
  ].filter(Boolean);
  const window = await recentWindow(storage, request.threadId, {
    budgetTokens: config.memory.windowTokens,
    maxMessages: config.memory.windowMessages,
    before: request.before,
  });
  const messages = [
    new SystemMessage(renderPersonaPrompt(who, { tools: tools.join(', ') || 'tell the story' })),
    ...window,
    new HumanMessage(request.prompt),
  ];
  let message: StoryMessage;
  let previous: StoryMessage | undefined;
  if (request.replace) {
    previous = (await storage.getMessage(request.replace)) ?? undefined;
    if (!previous) throw new DreamdeckError('NOT_FOUND', 'That reply no longer exists.');
    message = { ...previous, content: '', status: 'streaming', turnId: request.turnId };
    await storage.updateMessage(message.id, { status: 'streaming' });
  } else {
    message = newMessage(request.threadId, request.turnId, {
      role: 'assistant',
      kind: 'narration',
      persona: who.id,
      content: '',
      status: 'streaming',
    });
    await storage.appendMessage(message);
  }
  sink.emit({ type: 'message-start', messageId: message.id, role: 'assistant', kind: 'narration', persona: who.id });
  const adapter = context.model();
  let text = '';
  const finish = async (status: StoryMessage['status']) => {
    const alternatives = previous
      ? [
          ...(previous.alternatives ?? []),
          {
            content: previous.content,
            createdAt: previous.createdAt,
            status: previous.status,
            ...(previous.parts && { parts: previous.parts }),
          },
        ]
      : undefined;
    const choices = [...text.matchAll(/^\s*\d+\.\s+(.+)$/gm)].map((m) => (m[1] as string).replace(/\*\*/g, '').trim());
    const parts: MessagePart[] | undefined =
      choices.length >= 2 ? [{ type: 'choices', options: choices.slice(0, 5) }] : undefined;
    return storage.updateMessage(message.id, {
      content: text,
      status,
      ...(parts && { parts }),
      ...(alternatives && { alternatives }),
    });
  };
  try {
    await streamReply(adapter.model, messages, {
      signal: sink.signal,
      onText: (delta) => {
        text += delta;
        sink.tokens++;
        sink.emit({ type: 'message-delta', messageId: message.id, text: delta });
      },
    });
  } catch (error) {
    const aborted = sink.signal.aborted || isAbortError(error);
    const stored = await finish(aborted ? 'aborted' : 'error');
    sink.emit({ type: 'message-end', message: stored });
    if (aborted) throw error;
    throw modelError(adapter, error);
  }
  if (!text.trim()) {
    await finish('error');
    throw new DreamdeckError('MODEL_UNAVAILABLE', 'The model returned an empty reply. Try again.', {
      retryable: true,
    });
  }
  const stored = await finish('complete');
  sink.emit({ type: 'message-end', message: stored });
  return { messageId: message.id };
}
