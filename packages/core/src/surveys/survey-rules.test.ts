import { describe, expect, it } from 'vitest';
import { configSchema, type SurveyConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import { checkSurveyAnswers } from './survey-answers.js';
import { surveyReport } from './survey-report.js';
import type { SurveyResponse } from './survey-types.js';

const survey: SurveyConfig = configSchema.parse({
  surveys: [
    {
      id: 'pulse',
      after: { turns: 3 },
      questions: [
        { id: 'fun', kind: 'rating', prompt: 'Fun?' },
        { id: 'pace', kind: 'choice', prompt: 'Pace?', options: ['slow', 'fast'] },
        { id: 'note', kind: 'text', prompt: 'Anything else?' },
      ],
    },
  ],
}).surveys[0] as SurveyConfig;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return DreamdeckError.isInstance(error) ? error.code : 'not a DreamdeckError';
  }
  return undefined;
}

describe('survey config', () => {
  it('fills the title and validates every question', () => {
    expect(survey.title).toBe('A quick question');
    const bad = (surveys: unknown) => configSchema.safeParse({ surveys }).success;
    const question = { id: 'q', kind: 'rating', prompt: 'Q?' };
    expect(bad([{ id: 'ok', after: { turns: 1 }, questions: [question] }])).toBe(true);
    expect(bad([{ id: 'Bad Id', after: { turns: 1 }, questions: [question] }])).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 0 }, questions: [question] }])).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 1 }, questions: [] }])).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 1 }, questions: [{ id: 'q', kind: 'choice', prompt: 'Q?' }] }])).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 1 }, questions: [{ ...question, options: ['x', 'y'] }] }])).toBe(false);
    expect(
      bad([
        { id: 'a', after: { turns: 1 }, questions: [{ id: 'q', kind: 'choice', prompt: 'Q?', options: ['x', 'x'] }] },
      ]),
    ).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 1 }, questions: [question, question] }])).toBe(false);
    expect(
      bad([
        { id: 'a', after: { turns: 1 }, questions: [question] },
        { id: 'a', after: { turns: 2 }, questions: [question] },
      ]),
    ).toBe(false);
    expect(bad([{ id: 'a', after: { turns: 1 }, questions: [{ ...question, kind: 'scale' }] }])).toBe(false);
  });

  it('takes persona variants with unique ids', () => {
    const personas = (variants: unknown) =>
      configSchema.safeParse({ personas: { bard: { name: 'Bard', prompt: 'p', variants } } }).success;
    expect(personas([{ id: 'a', prompt: 'x' }])).toBe(true);
    expect(personas([])).toBe(false);
    expect(
      personas([
        { id: 'a', prompt: 'x' },
        { id: 'a', prompt: 'y' },
      ]),
    ).toBe(false);
    expect(personas([{ id: 'A B', prompt: 'x' }])).toBe(false);
    expect(personas([{ id: 'a', prompt: '' }])).toBe(false);
  });
});

describe('checkSurveyAnswers', () => {
  it('keeps valid answers, cleans text, and reads null as a skip', () => {
    expect(checkSurveyAnswers(survey, null)).toBeNull();
    expect(checkSurveyAnswers(survey, undefined)).toBeNull();
    expect(checkSurveyAnswers(survey, { fun: 5, pace: 'slow', note: ' \u0000hi\u0007 ' })).toEqual({
      fun: 5,
      pace: 'slow',
      note: 'hi',
    });
    // unanswered questions (null, blank text) are left out
    expect(checkSurveyAnswers(survey, { fun: 1, pace: null, note: '   ' })).toEqual({ fun: 1 });
  });

  it('refuses answers of the wrong shape with INVALID_INPUT', () => {
    for (const value of [
      true,
      'good',
      3,
      [],
      [{ fun: 3 }],
      {},
      { note: '  ' },
      { fun: 0 },
      { fun: 6 },
      { fun: 3.5 },
      { fun: '3' },
      { pace: 'medium' },
      { pace: 1 },
      { note: 42 },
      { note: 'x'.repeat(2001) },
      { other: 'x' },
      { ['__proto__']: 1 },
    ]) {
      expect(
        codeOf(() => checkSurveyAnswers(survey, value)),
        JSON.stringify(value),
      ).toBe('INVALID_INPUT');
    }
  });
});

describe('surveyReport', () => {
  const response = (userId: string, answers: SurveyResponse['answers'], createdAt: string): SurveyResponse => ({
    surveyId: 'pulse',
    userId,
    threadId: 'thr_1',
    answers,
    createdAt,
  });
  const responses = [
    response('c', { fun: 5, note: 'third' }, '2026-01-03T00:00:00.000Z'),
    response('b', null, '2026-01-02T12:00:00.000Z'),
    response('a', { fun: 2, pace: 'fast', note: 'second' }, '2026-01-02T00:00:00.000Z'),
    response('z', { fun: 4, pace: 'fast', note: 'first' }, '2026-01-01T00:00:00.000Z'),
  ];

  it('counts responses, means, distributions and shares', () => {
    const report = surveyReport(survey, responses);
    expect(report).toMatchObject({ responses: 4, answered: 3, skipped: 1 });
    expect(report.questions[0]).toEqual({
      id: 'fun',
      kind: 'rating',
      prompt: 'Fun?',
      count: 3,
      mean: 3.667,
      distribution: [0, 1, 0, 1, 1],
    });
    expect(report.questions[1]).toMatchObject({
      count: 2,
      options: [
        { option: 'slow', count: 0, share: 0 },
        { option: 'fast', count: 2, share: 1 },
      ],
    });
  });

  it('pages text answers newest first', () => {
    const first = surveyReport(survey, responses, { limit: 2 });
    const texts = (report: typeof first) =>
      report.questions[2]?.kind === 'text' ? report.questions[2].answers.map((a) => a.text) : [];
    expect(texts(first)).toEqual(['third', 'second']);
    expect(first.nextCursor).toBe('2');
    const second = surveyReport(survey, responses, { limit: 2, cursor: first.nextCursor });
    expect(texts(second)).toEqual(['first']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('has a null mean and zero shares before any answer; bad paging is INVALID_INPUT', () => {
    const empty = surveyReport(survey, []);
    expect(empty.questions[0]).toMatchObject({ count: 0, mean: null });
    expect(empty.questions[1]).toMatchObject({ options: [{ share: 0 }, { share: 0 }] });
    for (const options of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { cursor: '-1' }, { cursor: 'abc' }]) {
      expect(codeOf(() => surveyReport(survey, [], options))).toBe('INVALID_INPUT');
    }
  });
});
