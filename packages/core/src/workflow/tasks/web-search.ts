import { task } from '@langchain/langgraph';
import { DreamdeckError, type ErrorCode } from '../../errors.js';
import { sendReply } from '../story-messages.js';
import { switchedOff } from '../switched-off.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** Results a search asks for. */
export const SEARCH_RESULT_LIMIT = 5;
/** Longest query, in characters. */
export const MAX_SEARCH_QUERY = 400;
/** Longest wait for the whole search, whatever the adapter's own timeouts: the story goes on after. */
export const SEARCH_DEADLINE_MS = 20_000;
/** Results the GM is given to weave in. */
const RESULTS_FOR_GM = 3;

/** A web search asked for in a turn: by `/search` (`command`) or by the model router (`model`). */
export interface WebSearchInput {
  threadId: string;
  turnId: string;
  userId: string;
  query: string;
  via: 'command' | 'model';
}

/** What a search gives the turn. */
export interface WebSearchOutcome {
  /** The `search` message stored; absent when the router chose search while it is off or not set up (nothing stored). */
  messageId?: string;
  /** `Search:` lines for the narration; empty when nothing was found or the search failed. */
  lines: string[];
}

/**
 * The `Search:` lines the GM is given for a search's results (the first three): `Search: <title> —
 * <snippet> (<url>)`. Also used when a narration after a search is regenerated.
 */
export function searchLines(results: ReadonlyArray<{ title: string; url: string; snippet: string }>): string[] {
  return results
    .slice(0, RESULTS_FOR_GM)
    .map((result) => `Search: ${result.title} — ${cut(result.snippet, 240)} (${result.url})`.replace(/\n/g, ' '));
}

/** Markdown's punctuation escaped, so untrusted text reads as written and makes no links. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()<>#+!|~])/g, '\\$1');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The `web-search` task: runs the engine's `SearchAdapter` when `webSearch` is on for the user,
 * counted against `apiCallsPerHour`, and stores a `search` message whose `parts` are the results
 * (`search-result`: title, url, snippet). Resolves to `Search:` lines for the GM to weave in.
 * Every failure is a `search` message with an `error` part that says what happened (empty query,
 * search off or not configured, rate limit, service down or slow); the turn goes on. When the
 * router chose search and search is off or not configured, nothing is stored (no `messageId`).
 */
export function createWebSearchTask(context: TurnContext) {
  return task('web-search', async (input: WebSearchInput): Promise<WebSearchOutcome> => {
    const base = { threadId: input.threadId, turnId: input.turnId, kind: 'search' as const };
    const refuse = async (code: ErrorCode, message: string): Promise<WebSearchOutcome> => {
      const messageId = await sendReply(context, {
        ...base,
        content: message,
        parts: [{ type: 'error', code, message }],
      });
      return { messageId, lines: [] };
    };
    const adapter = context.search?.();
    const enabled = await context.flags.isEnabled('webSearch', { userId: input.userId });
    if (!enabled || !adapter) {
      if (input.via === 'model') return { lines: [] };
      return refuse(
        'FEATURE_DISABLED',
        enabled
          ? 'No web search service is set up on this server.'
          : await switchedOff(context, 'webSearch', input.userId, 'Web search'),
      );
    }
    const query = input.query.replace(/\s+/g, ' ').trim();
    if (!query)
      return refuse(
        'INVALID_INPUT',
        'What should I search for? For example: `/search the legend of the drowned bell`.',
      );
    if (query.length > MAX_SEARCH_QUERY) {
      return refuse('INVALID_INPUT', `A search can be at most ${MAX_SEARCH_QUERY} characters long.`);
    }
    const sink = sinkFor(context, input.threadId);
    try {
      await context.limits.consume(input.userId, 'apiCallsPerHour');
    } catch (error) {
      const failure = DreamdeckError.from(error);
      if (failure.code !== 'RATE_LIMITED') throw error;
      return refuse('RATE_LIMITED', failure.message);
    }
    sink.emit({ type: 'status', text: `Searching the web for “${cut(query, 60)}”` });
    const deadline = AbortSignal.timeout(SEARCH_DEADLINE_MS);
    let results: Awaited<ReturnType<typeof adapter.search>>;
    try {
      results = await adapter.search(query, {
        limit: SEARCH_RESULT_LIMIT,
        signal: AbortSignal.any([sink.signal, deadline]),
      });
    } catch (error) {
      if (sink.signal.aborted) throw error;
      context.logger.warn({ err: error, threadId: input.threadId, adapter: adapter.name }, 'web search failed');
      const slow = deadline.aborted || /timed out/i.test(error instanceof Error ? error.message : '');
      return refuse(
        'MODEL_UNAVAILABLE',
        slow
          ? 'The web search took too long and was stopped. The story goes on; try again in a moment.'
          : 'The web search service is not answering right now. The story goes on; try again later.',
      );
    }
    await context.storage.addUsage?.(input.userId, 'searches');
    const found = (Array.isArray(results) ? results : [])
      .filter((r) => r && typeof r.url === 'string' && typeof r.title === 'string')
      .slice(0, SEARCH_RESULT_LIMIT)
      .map((r) => ({
        title: cut(String(r.title), 300),
        url: cut(String(r.url), 2048),
        snippet: cut(typeof r.snippet === 'string' ? r.snippet : '', 1000),
      }));
    if (!found.length) {
      const messageId = await sendReply(context, {
        ...base,
        content: `No results on the web for “${escapeMarkdown(query)}”.`,
        parts: [],
      });
      return { messageId, lines: [] };
    }
    const list = found.map(
      (result, index) =>
        `${index + 1}. ${escapeMarkdown(result.title)}${result.snippet ? ` — ${escapeMarkdown(cut(result.snippet, 200))}` : ''}`,
    );
    const messageId = await sendReply(context, {
      ...base,
      content: `🔎 Web results for “${escapeMarkdown(query)}”:\n\n${list.join('\n')}`,
      parts: found.map((result) => ({ type: 'search-result', ...result })),
    });
    return { messageId, lines: searchLines(found) };
  });
}
