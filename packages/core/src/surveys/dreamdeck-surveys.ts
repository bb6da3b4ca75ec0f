import type { DreamdeckConfig, SurveyConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { newId } from '../storage/ids.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { checkSurveyAnswers } from './survey-answers.js';
import { reportPage, surveyReport } from './survey-report.js';
import { readSurveyResponse, readSurveyResponses, writeSurveyResponse } from './survey-store.js';
import type { DreamdeckSurveys, SurveyAnswers, SurveyResponse } from './survey-types.js';

/** What surveys need from the engine. */
export interface SurveyDeps {
  storage: StorageAdapter;
  config: () => DreamdeckConfig;
  /** Where a failed survey check is logged (it never fails the turn). */
  logger?: Pick<Logger, 'warn'>;
}

/** A counter window no clock reaches: the per-user turn count for surveys never resets. */
const FOREVER_MS = 1e15;
/** The turn counter's ceiling (past it, no survey is due). */
const MAX_COUNT = 2 ** 31 - 1;

/**
 * The survey due at the end of this turn of `userId`, if any. Counts the user's turn (one atomic
 * storage counter, `survey-turns:<userId>`, shared by every instance; only while surveys are
 * configured, so turns before that do not count) and returns the survey whose `after.turns` it
 * reached, unless the user already responded to it. A storage failure here is logged and asks no
 * survey: it never fails the player's turn.
 */
export async function surveyDue(deps: SurveyDeps, userId: string): Promise<SurveyConfig | undefined> {
  const surveys = deps.config().surveys;
  if (surveys.length === 0) return undefined;
  try {
    const { allowed, used } = await deps.storage.consume(`survey-turns:${userId}`, 1, FOREVER_MS, MAX_COUNT);
    if (!allowed) return undefined;
    const survey = surveys.find((candidate) => candidate.after.turns === used);
    if (!survey || (await readSurveyResponse(deps.storage.store, survey.id, userId))) return undefined;
    return survey;
  } catch (error) {
    deps.logger?.warn({ err: error, userId }, 'survey check failed; no survey this turn');
    return undefined;
  }
}

/** How long the claim on one user's response to a survey is held while it is stored. */
const RESPONSE_LEASE_MS = 10_000;

/**
 * Checks `answers` against `survey` (`INVALID_INPUT` when wrong) and stores the user's response
 * (`CONFLICT` when they already responded). Nothing is stored on either failure. Two responses of
 * the same user at once (two tabs, two instances) cannot both be stored: each first takes a storage
 * lease on `survey:<surveyId>:<userId>`, and the one that finds it taken is refused with `CONFLICT`.
 */
export async function storeSurveyResponse(
  deps: SurveyDeps,
  survey: Pick<SurveyConfig, 'id' | 'questions'>,
  userId: string,
  threadId: string,
  answers: unknown,
): Promise<SurveyResponse> {
  const checked: SurveyAnswers | null = checkSurveyAnswers(survey as SurveyConfig, answers);
  const key = `survey:${survey.id}:${userId}`;
  const holder = newId('lease');
  if (!(await deps.storage.acquireLease(key, holder, RESPONSE_LEASE_MS)))
    throw new DreamdeckError('CONFLICT', 'Your answers to this survey are being saved already.');
  try {
    if (await readSurveyResponse(deps.storage.store, survey.id, userId))
      throw new DreamdeckError('CONFLICT', 'You have already answered this survey.');
    const response: SurveyResponse = {
      surveyId: survey.id,
      userId,
      threadId,
      answers: checked,
      createdAt: new Date().toISOString(),
    };
    await writeSurveyResponse(deps.storage.store, response);
    return response;
  } finally {
    await deps.storage.releaseLease(key, holder).catch(() => undefined);
  }
}

/** Builds `dd.surveys` over the engine's storage and config. */
export function createDreamdeckSurveys(deps: SurveyDeps): DreamdeckSurveys {
  const find = (surveyId: string): SurveyConfig => {
    const survey = deps.config().surveys.find((candidate) => candidate.id === surveyId);
    if (!survey) throw new DreamdeckError('NOT_FOUND', 'There is no such survey.');
    return survey;
  };
  const checkUser = (userId: unknown) => {
    if (typeof userId !== 'string' || !userId)
      throw new DreamdeckError('INVALID_INPUT', 'A survey response needs a userId.');
  };
  return {
    list: () => deps.config().surveys,
    async respond(userId, surveyId, answers, options = {}) {
      checkUser(userId);
      return storeSurveyResponse(deps, find(surveyId), userId, options.threadId ?? '', answers);
    },
    async response(userId, surveyId) {
      checkUser(userId);
      find(surveyId);
      return (await readSurveyResponse(deps.storage.store, surveyId, userId)) ?? null;
    },
    async report(surveyId, options) {
      const survey = find(surveyId);
      reportPage(options ?? {}); // a bad page is refused before anything is read
      return surveyReport(survey, await readSurveyResponses(deps.storage.store, surveyId), options);
    },
  };
}
