import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { DreamdeckConfig } from '../config/config-schema.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import type { Logger } from '../logging/logger.js';
import { readUserPersona } from '../lore/lore-book.js';
import { type Persona, renderPersonaPrompt } from '../personas/personas.js';
import { assignVariant, personaWithVariant, type VariantPromotions } from '../personas/prompt-variants.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { MessagePart } from '../types.js';
import { type PromptMessage, readWindow, type StoryWindow } from './context-window.js';
import type { MemoryRecord } from './memory-types.js';
import { recallMemories } from './recall.js';
import { type ThreadMemoryState, threadMemoryOf } from './summary-state.js';
import { loadTokenCounter, MESSAGE_OVERHEAD_TOKENS, type TokenCounter, truncateToTokens } from './token-count.js';

/** A section of a prompt: `persona`, `lore`, `memory`, `summary`, `knowledge`, `authors-note` or `window`. */
export type PromptSectionName = 'persona' | 'summary' | 'window' | 'lore' | 'memory' | 'knowledge' | 'authors-note';

/** The sections of a prompt, in the order they appear in it. */
const PROMPT_SECTIONS: readonly PromptSectionName[] = [
  'persona',
  'summary',
  'window',
  'lore',
  'memory',
  'knowledge',
  'authors-note',
];

/** The prompt the next narration sends (`session.context()`), with its token count per section. */
export interface PromptContext {
  /** The messages, as sent: one `system` message (persona, summary), the window, the player's message last. */
  messages: PromptMessage[];
  /** Tokens of the whole prompt (the sum of `sections`). */
  tokens: number;
  /** Tokens per section, in prompt order; empty sections count 0. */
  sections: Array<{
    /** The section. */
    name: PromptSectionName;
    /** Its tokens (cl100k_base), message overheads included. */
    tokens: number;
  }>;
}

const CONTEXT_OPEN = '<context>\n';
const CONTEXT_CLOSE = '\n</context>\n\n';

/** What a slot filler is asked for: the turn, and the window the prompt holds. */
export interface SlotRequest {
  /** The player. */
  userId: string;
  /** The story. */
  threadId: string;
  /** The player's newest words (and tool lines). */
  text: string;
  /** The prompt's window, oldest first. */
  recent: PromptMessage[];
  /** The thread's data as this prompt read it (`getThreadData`): what a section keeps per thread, without another read. */
  threadData: Readonly<Record<string, unknown>>;
}

/**
 * Fills one of the per-turn sections (`lore`, `knowledge`, `authors-note`): its entries, most
 * important first; the assembly keeps as many as the section's budget holds.
 */
export type SlotFiller = (request: SlotRequest) => Promise<Array<string | SlotEntry>>;

/** A slot entry with the source it cites: when the entry fits the budget, the narration carries the citation. */
export interface SlotEntry {
  /** The line, as the prompt shows it. */
  text: string;
  /** Where it comes from (a knowledge passage). */
  citation?: Extract<MessagePart, { type: 'citation' }>;
}

/** Fillers of the per-turn sections that other features provide (lorebook, knowledge base, author's note). */
export type PromptSlots = Partial<Record<'lore' | 'knowledge' | 'authors-note', SlotFiller>>;

/** Token budgets of the slot sections (the lorebook's is DESIGN's `lore.budgetTokens` default). */
export const SLOT_BUDGETS: Record<keyof PromptSlots, number> = { lore: 800, knowledge: 800, 'authors-note': 200 };

const SLOT_HEADINGS: Record<keyof PromptSlots, string> = {
  lore: 'World info:',
  knowledge: 'From the knowledge base (when you use a passage, cite it by its [number]):',
  'authors-note': "Author's note:",
};

/** What prompt assembly reads: a subset of the workflow's `TurnContext`. */
export interface PromptDeps {
  storage: StorageAdapter;
  config: () => DreamdeckConfig;
  personas: () => Map<string, Persona>;
  flags: FeatureFlags;
  logger: Logger;
  embeddings?: EmbeddingsInterface | undefined;
  promptSlots?: PromptSlots | undefined;
  /** Promoted prompt variants (absent: a persona's variants are assigned by thread alone). */
  variants?: VariantPromotions | undefined;
}

/** What to assemble a prompt for. */
export interface PromptRequest {
  userId: string;
  threadId: string;
  /** The persona id (the default persona when it does not exist). */
  persona: string;
  /** The player's words and tool lines: the final message. */
  prompt: string;
  /** The window ends before this message (the player's stored message, in a turn). */
  before?: string;
  /** The prompt variant to write in, when the persona still has it (a regenerated reply keeps its own); else the thread's. */
  variant?: string;
}

/** An assembled prompt, with what memory upkeep needs to know after the reply. */
export interface AssembledPrompt extends PromptContext {
  /** The persona that narrates. */
  persona: Persona;
  /** The persona's prompt variant the thread uses, when the persona has variants. */
  variant?: string | undefined;
  /** The window the prompt holds. */
  window: StoryWindow;
  /** The thread's summary and extraction cursor as read. */
  state: ThreadMemoryState;
  /** The memories recalled into the prompt. */
  recalled: MemoryRecord[];
  /** The sources of the slot entries the prompt holds (knowledge passages), for the narration's `citation` parts. */
  citations: Array<Extract<MessagePart, { type: 'citation' }>>;
  /** Tokens of the player's final message. */
  promptTokens: number;
  /** The counter used (loaded). */
  count: TokenCounter;
}

/** The persona `id`, else the configured default, else the first there is. */
export function personaFor(deps: Pick<PromptDeps, 'personas' | 'config'>, id: string): Persona {
  const all = deps.personas();
  return all.get(id) ?? all.get(deps.config().defaultPersona) ?? ([...all.values()][0] as Persona);
}

/**
 * Assembles the prompt of a narration, the one place that does: `narrate` sends it and
 * `session.context()` shows it. Stable sections come first so a provider's prompt cache hits
 * across turns: the persona and the rolling summary in the system message, then the window (which
 * only grows between folds). Sections that change every turn (lore, recalled memory, knowledge,
 * the author's note) go last, in a `<context>` block of the final user message before the
 * player's words. Each section stays within its budget, counted with a real tokenizer.
 */
export async function assemblePrompt(deps: PromptDeps, request: PromptRequest): Promise<AssembledPrompt> {
  const count = await loadTokenCounter();
  const config = deps.config();
  const memory = config.memory;
  // a persona the player imported from a character card (`persona_…`), else a configured one
  const persona =
    (await readUserPersona(deps.storage.store, request.userId, request.persona)) ?? personaFor(deps, request.persona);
  // the `<context>` wrapper around the per-turn sections is reserved in the window's budget
  const wrapper = count(CONTEXT_OPEN + CONTEXT_CLOSE);
  const promptText = truncateToTokens(count, request.prompt, memory.windowTokens - MESSAGE_OVERHEAD_TOKENS - wrapper);
  const promptTokens = count(promptText) + MESSAGE_OVERHEAD_TOKENS + wrapper;
  const readState = async () => {
    // one read of the thread's data serves the summary, the extraction cursor and the author's note
    const data = await deps.storage.getThreadData(request.threadId);
    const state = threadMemoryOf(data);
    const window = await readWindow(deps.storage, request.threadId, count, {
      budgetTokens: memory.windowTokens - promptTokens,
      maxMessages: memory.windowMessages,
      ...(memory.summaryTokens > 0 && state.summary && { throughMessageId: state.summary.throughMessageId }),
      ...(request.before && { before: request.before }),
      ...(state.extractedThrough && { marker: state.extractedThrough }),
    });
    return { data, state, window };
  };
  const [flags, { data, state, window }, recalled, promoted] = await Promise.all([
    deps.flags.effective(),
    readState(),
    recallMemories(deps.storage.store, {
      userId: request.userId,
      threadId: request.threadId,
      query: request.prompt,
      limit: memory.recallLimit,
      embeddings: deps.embeddings,
    }),
    persona.variants?.length ? deps.variants?.promoted(persona.id) : undefined,
  ]);
  const kept = persona.variants?.some((candidate) => candidate.id === request.variant);
  const variant = assignVariant(persona, request.threadId, kept ? request.variant : promoted);
  const tools = [
    flags.diceRolling && 'roll dice (the engine rolls; you narrate the result)',
    flags.imageGeneration && 'storyboard images of the scene',
    flags.knowledge && 'lore from the knowledge base',
  ].filter(Boolean);
  const personaText = renderPersonaPrompt(variant ? personaWithVariant(persona, variant) : persona, {
    tools: tools.join(', ') || 'tell the story',
  });
  // a summary older than the chapter break the window stopped at belongs to the earlier chapter
  const summary = memory.summaryTokens > 0 && window.stop !== 'reset' ? state.summary?.text : undefined;
  const summaryText = summary ? `\n\n## The story so far\n${summary}` : '';
  const recent = window.entries.map(({ role, content }) => ({ role, content }));
  const late = await lateSections(deps, { ...request, threadData: data }, count, recalled, recent);
  const block = late.filter((section) => section.text).map((section) => section.text);
  const wrapped = block.length ? `${CONTEXT_OPEN}${block.join('\n\n')}${CONTEXT_CLOSE}${promptText}` : promptText;
  const messages: PromptMessage[] = [
    { role: 'system', content: personaText + summaryText },
    ...recent,
    { role: 'user', content: wrapped },
  ];
  const tokensOf: Record<PromptSectionName, number> = {
    persona: count(personaText) + MESSAGE_OVERHEAD_TOKENS,
    summary: summaryText ? count(summaryText) : 0,
    window: window.tokens + promptTokens - (block.length ? 0 : wrapper),
    lore: 0,
    memory: 0,
    knowledge: 0,
    'authors-note': 0,
  };
  for (const section of late) tokensOf[section.name] = section.tokens;
  const sections = PROMPT_SECTIONS.map((name) => ({ name, tokens: tokensOf[name] }));
  const tokens = sections.reduce((sum, section) => sum + section.tokens, 0);
  return {
    messages,
    tokens,
    sections,
    persona,
    variant: variant?.id,
    window,
    state,
    recalled: recalled.filter((record) => late.some((s) => s.name === 'memory' && s.ids?.includes(record.id))),
    citations: late.flatMap((section) => section.citations ?? []),
    promptTokens,
    count,
  };
}

interface LateSection {
  name: 'lore' | 'memory' | 'knowledge' | 'authors-note';
  text: string;
  tokens: number;
  ids?: string[];
  citations?: Array<Extract<MessagePart, { type: 'citation' }>>;
}

/** The per-turn sections, each within its budget: lore, recalled memory, knowledge, author's note. */
async function lateSections(
  deps: PromptDeps,
  request: PromptRequest & Pick<SlotRequest, 'threadData'>,
  count: TokenCounter,
  recalled: MemoryRecord[],
  recent: PromptMessage[],
): Promise<LateSection[]> {
  const slotRequest: SlotRequest = {
    userId: request.userId,
    threadId: request.threadId,
    text: request.prompt,
    recent,
    threadData: request.threadData,
  };
  const fill = async (name: keyof PromptSlots): Promise<LateSection> => {
    const filler = deps.promptSlots?.[name];
    if (!filler) return { name, text: '', tokens: 0 };
    try {
      const entries = await filler(slotRequest);
      const kept: string[] = [];
      // the lorebook's budget is config `lore.budgetTokens`
      const budget = name === 'lore' ? deps.config().lore.budgetTokens : SLOT_BUDGETS[name];
      const { text, tokens } = fitLines(count, SLOT_HEADINGS[name], entries.map(lineOf), budget, kept);
      const citations = entries.flatMap((entry) =>
        typeof entry !== 'string' && entry.citation && kept.includes(entry.text) ? [entry.citation] : [],
      );
      return { name, text, tokens, ...(citations.length && { citations }) };
    } catch (error) {
      // a section that cannot be filled leaves the prompt without it; the turn goes on
      deps.logger.warn({ err: error, threadId: request.threadId, section: name }, 'prompt section left empty');
      return { name, text: '', tokens: 0 };
    }
  };
  const budget = deps.config().memory.recallTokens;
  const kept: string[] = [];
  const memoryLines = fitLines(
    count,
    'Remembered from earlier (facts to keep consistent; do not recite them unprompted):',
    recalled.map((record) => record.text),
    budget,
    kept,
  );
  const ids = recalled.filter((record) => kept.includes(record.text)).map((record) => record.id);
  const [lore, knowledge, note] = await Promise.all([fill('lore'), fill('knowledge'), fill('authors-note')]);
  return [lore, { name: 'memory', text: memoryLines.text, tokens: memoryLines.tokens, ids }, knowledge, note];
}

const lineOf = (entry: string | SlotEntry) => (typeof entry === 'string' ? entry : entry.text);

/** A heading and `- ` lines, as many as fit in `budget` tokens (none: empty). `kept` collects the lines taken. */
function fitLines(
  count: TokenCounter,
  heading: string,
  lines: string[],
  budget: number,
  kept: string[] = [],
): { text: string; tokens: number } {
  if (lines.length === 0 || budget <= 0) return { text: '', tokens: 0 };
  let tokens = count(heading);
  const out: string[] = [heading];
  for (const line of lines) {
    const cost = count(`- ${line}`) + 1;
    if (tokens + cost > budget) continue;
    tokens += cost;
    out.push(`- ${line}`);
    kept.push(line);
  }
  return out.length > 1 ? { text: out.join('\n'), tokens } : { text: '', tokens: 0 };
}
