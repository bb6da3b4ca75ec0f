import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { SurveyResponse } from './survey-types.js';

// Survey responses live in the storage adapter's LangGraph store (every adapter has one, on every
// backend): one namespace per survey, keyed by user id, so a user has at most one response.

/** The store namespace of a survey's responses. */
export function surveyNamespace(surveyId: string): string[] {
  return ['dreamdeck', 'surveys', surveyId];
}

/** A stored value, checked: anything malformed (or of another survey) is skipped. */
function toResponse(value: unknown, surveyId: string): SurveyResponse | undefined {
  const response = value as Partial<SurveyResponse> | null;
  if (!response || response.surveyId !== surveyId || typeof response.userId !== 'string') return undefined;
  const answers = response.answers && typeof response.answers === 'object' ? response.answers : null;
  return {
    surveyId,
    userId: response.userId,
    threadId: String(response.threadId ?? ''),
    answers,
    createdAt: String(response.createdAt),
  };
}

/** The user's response to a survey, or undefined. */
export async function readSurveyResponse(
  store: BaseStore,
  surveyId: string,
  userId: string,
): Promise<SurveyResponse | undefined> {
  const item = await store.get(surveyNamespace(surveyId), userId);
  return item ? toResponse(item.value, surveyId) : undefined;
}

/** Stores a response (the caller checked that the user has none). */
export async function writeSurveyResponse(store: BaseStore, response: SurveyResponse): Promise<void> {
  // `index: false`: nothing searches answers by text
  await store.put(surveyNamespace(response.surveyId), response.userId, { ...response }, false);
}

/** Responses read per store page. */
const PAGE = 1000;

/**
 * Every response to a survey, newest first. `filter` keeps out another survey whose id starts
 * with this one's (PostgreSQL matches namespace paths by prefix).
 */
export async function readSurveyResponses(store: BaseStore, surveyId: string): Promise<SurveyResponse[]> {
  const responses: SurveyResponse[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const items = await store.search(surveyNamespace(surveyId), { filter: { surveyId }, limit: PAGE, offset });
    responses.push(...items.flatMap((item) => toResponse(item.value, surveyId) ?? []));
    if (items.length < PAGE) break;
  }
  return responses.sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.userId < b.userId ? -1 : 1,
  );
}
