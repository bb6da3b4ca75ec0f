import type { SurveyConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { QuestionReport, SurveyReport, SurveyReportOptions, SurveyResponse } from './survey-types.js';

/** The page of text answers `options` ask for; `INVALID_INPUT` for a limit outside 1–100 or a cursor no report gave. */
export function reportPage(options: SurveyReportOptions): { limit: number; offset: number } {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw new DreamdeckError('INVALID_INPUT', 'limit is a whole number from 1 to 100.');
  if (!/^\d{1,9}$/.test(options.cursor ?? '0'))
    throw new DreamdeckError('INVALID_INPUT', 'That cursor is not one a report gave.');
  return { limit, offset: Number(options.cursor ?? 0) };
}

/**
 * Aggregates responses (newest first) to `survey`: per rating question the count, mean and
 * distribution; per choice question each option's count and share; per text question one page of
 * answers, newest first. The cursor is the offset into the text answers, as text; a bad one (or a
 * bad limit) throws `INVALID_INPUT`.
 */
export function surveyReport(
  survey: SurveyConfig,
  responses: SurveyResponse[],
  options: SurveyReportOptions = {},
): SurveyReport {
  const { limit, offset } = reportPage(options);
  const answered = responses.filter((response) => response.answers !== null);
  let more = false;
  const questions = survey.questions.map((question): QuestionReport => {
    const given = answered.flatMap((response) => {
      const answer = response.answers?.[question.id];
      return answer === undefined ? [] : [{ answer, createdAt: response.createdAt }];
    });
    const count = given.length;
    if (question.kind === 'rating') {
      const distribution = [0, 0, 0, 0, 0];
      let sum = 0;
      for (const { answer } of given) {
        if (typeof answer !== 'number' || answer < 1 || answer > 5) continue;
        distribution[answer - 1] = (distribution[answer - 1] ?? 0) + 1;
        sum += answer;
      }
      const rated = distribution.reduce((total, n) => total + n, 0);
      return {
        id: question.id,
        kind: 'rating',
        prompt: question.prompt,
        count: rated,
        mean: rated ? Math.round((sum / rated) * 1000) / 1000 : null,
        distribution,
      };
    }
    if (question.kind === 'choice') {
      const options = (question.options ?? []).map((option) => {
        const chosen = given.filter(({ answer }) => answer === option).length;
        return { option, count: chosen, share: count ? Math.round((chosen / count) * 1000) / 1000 : 0 };
      });
      return { id: question.id, kind: 'choice', prompt: question.prompt, count, options };
    }
    const texts = given.map(({ answer, createdAt }) => ({ text: String(answer), createdAt }));
    if (texts.length > offset + limit) more = true;
    return {
      id: question.id,
      kind: 'text',
      prompt: question.prompt,
      count,
      answers: texts.slice(offset, offset + limit),
    };
  });
  return {
    survey: { id: survey.id, title: survey.title, after: survey.after, questions: survey.questions },
    responses: responses.length,
    answered: answered.length,
    skipped: responses.length - answered.length,
    questions,
    ...(more ? { nextCursor: String(offset + limit) } : {}),
  };
}
