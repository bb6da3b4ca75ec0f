import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { task } from '@langchain/langgraph';
import { DreamdeckError, isAbortError } from '../../errors.js';
import type { PromptMessage } from '../../memory/context-window.js';
import { assemblePrompt } from '../../memory/prompt-assembly.js';
import { planUpkeep, type UpkeepHints } from '../../memory/upkeep-plan.js';
import { modelError } from '../../models/model-adapter.js';
import { streamReply } from '../../models/stream-reply.js';
import { versionsOf } from '../../story-controls/message-versions.js';
import type { MessagePart, StoryMessage } from '../../types.js';
import { newMessage } from '../story-messages.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** A narration request. */
export interface NarrationRequest {
  threadId: string;
  turnId: string;
  /** The player, whose memories the prompt recalls. */
  userId: string;
  persona: string;
  /** The player's words and tool lines, as the final human message. */
  prompt: string;
  /** Window messages are taken from before this message id (absent: the whole story so far). */
  before?: string;
  /** Regenerate: the reply to replace (its old text becomes an alternative). */
  replace?: string;
  /** Continue: the reply to write on, in place (the new text is appended to it). */
  extend?: string;
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

/** What a narration resolves to: its message, and the memory upkeep it calls for. */
export interface NarrationResult {
  messageId: string;
  /** Absent on a regenerate (its messages are already in the window and read for facts). */
  upkeep?: UpkeepHints;
}

/** A prompt message as LangChain takes it. */
export function toChatMessage(message: PromptMessage): BaseMessage {
  if (message.role === 'system') return new SystemMessage(message.content);
  return message.role === 'assistant' ? new AIMessage(message.content) : new HumanMessage(message.content);
}

async function narrateNow(context: TurnContext, request: NarrationRequest): Promise<NarrationResult> {
  const { storage } = context;
  const sink = sinkFor(context, request.threadId);
  // a regenerated or continued reply is written again in its own prompt variant, which it records
  const target = request.extend ?? request.replace;
  const original = target ? ((await storage.getMessage(target)) ?? undefined) : undefined;
  const prompt = await assemblePrompt(context, {
    userId: request.userId,
    threadId: request.threadId,
    persona: request.persona,
    prompt: request.prompt,
    ...(request.before && { before: request.before }),
    ...(original?.variant && { variant: original.variant }),
  });
  const who = prompt.persona;
  const messages = prompt.messages.map(toChatMessage);
  let message: StoryMessage;
  let previous: StoryMessage | undefined;
  // continue: the reply goes on after its text as it stands
  let kept = '';
  let keptStatus: StoryMessage['status'] = 'complete';
  if (request.extend) {
    const reply = original;
    if (!reply) throw new DreamdeckError('NOT_FOUND', 'That reply no longer exists.');
    kept = reply.content.trimEnd();
    keptStatus = reply.status;
    message = { ...reply, status: 'streaming', turnId: request.turnId };
    await storage.updateMessage(message.id, { status: 'streaming' });
  } else if (request.replace) {
    previous = original;
    if (!previous) throw new DreamdeckError('NOT_FOUND', 'That reply no longer exists.');
    message = { ...previous, content: '', status: 'streaming', turnId: request.turnId };
    await storage.updateMessage(message.id, { status: 'streaming' });
  } else {
    message = newMessage(request.threadId, request.turnId, {
      role: 'assistant',
      kind: 'narration',
      persona: who.id,
      ...(prompt.variant && { variant: prompt.variant }),
      content: '',
      status: 'streaming',
    });
    await storage.appendMessage(message);
  }
  sink.emit({ type: 'message-start', messageId: message.id, role: 'assistant', kind: 'narration', persona: who.id });
  const adapter = context.model();
  let text = '';
  const finish = async (status: StoryMessage['status']) => {
    // every version in order (the shown one at its place), the new one last and shown
    const alternatives = previous ? versionsOf(previous) : undefined;
    const content = kept ? joinContinuation(kept, text) : text;
    const listed = (from: string) =>
      [...from.matchAll(/^\s*\d+\.\s+(.+)$/gm)].map((m) => (m[1] as string).replace(/\*\*/g, '').trim());
    // a continued reply offers the choices its new text ends on, else those it had
    const choices = [...new Set(kept && listed(text).length >= 2 ? listed(text) : listed(content))];
    // the knowledge passages the prompt held are cited under the reply
    const found: MessagePart[] = [
      ...(choices.length >= 2 ? [{ type: 'choices' as const, options: choices.slice(0, 5) }] : []),
      ...prompt.citations,
    ];
    const parts: MessagePart[] | undefined = found.length ? found : undefined;
    return storage.updateMessage(message.id, {
      content,
      // a continuation that added nothing leaves the reply as it was
      status: kept && !text.trim() ? keptStatus : status,
      ...(parts && { parts }),
      ...(alternatives && { alternatives, alternativeIndex: alternatives.length }),
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
  if (request.replace || request.extend) return { messageId: message.id };
  return { messageId: message.id, upkeep: planUpkeep(context.config(), prompt, text, request.prompt) };
}

/** A continued reply: its kept text, then the new text as a new paragraph (or on the same line after a cut-off word). */
function joinContinuation(kept: string, added: string): string {
  const next = added.trimStart();
  if (!next) return kept;
  return /[.!?…"”*)]$/.test(kept) ? `${kept}\n\n${next}` : `${kept} ${next}`;
}
