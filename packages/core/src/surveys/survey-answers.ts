import { cleanText } from '../clean-text.js';
import type { SurveyConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { SurveyAnswers } from './survey-types.js';

/** The longest text answer kept, in characters. */
export const MAX_TEXT_ANSWER = 2000;

/**
 * Checks `value` against the survey's questions and returns the answers to store: `null` for a
 * skip (`null` or `undefined`), else an object whose keys are question ids, each answered by its
 * kind (a whole number 1 to 5, one of the options, or non-empty text of at most 2,000 characters
 * after control characters are stripped). At least one question must be answered. Anything else
 * throws `INVALID_INPUT` naming the first thing wrong.
 */
export function checkSurveyAnswers(survey: SurveyConfig, value: unknown): SurveyAnswers | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid('Answer a survey with an object of answers by question id, or null to skip it.');
  const answers: SurveyAnswers = {};
  const byId = new Map(survey.questions.map((question) => [question.id, question]));
  for (const [id, answer] of Object.entries(value as Record<string, unknown>)) {
    const question = byId.get(id);
    if (!question) throw invalid(`The survey has no question "${id.slice(0, 40)}".`);
    if (answer === null || answer === undefined) continue;
    if (question.kind === 'rating') {
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 1 || answer > 5)
        throw invalid(`Answer "${id}" with a whole number from 1 to 5.`);
      answers[id] = answer;
    } else if (question.kind === 'choice') {
      if (typeof answer !== 'string' || !question.options?.includes(answer))
        throw invalid(`Answer "${id}" with one of: ${question.options?.join(', ')}.`);
      answers[id] = answer;
    } else {
      if (typeof answer !== 'string') throw invalid(`Answer "${id}" with text.`);
      const text = cleanText(answer);
      if (text.length > MAX_TEXT_ANSWER)
        throw invalid(`The answer to "${id}" is ${text.length} characters; the limit is ${MAX_TEXT_ANSWER}.`);
      if (text) answers[id] = text;
    }
  }
  if (Object.keys(answers).length === 0) throw invalid('Answer at least one question, or skip the survey (null).');
  return answers;
}

function invalid(message: string): DreamdeckError {
  return new DreamdeckError('INVALID_INPUT', message);
}
