// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DreamdeckSurvey } from '../src/dreamdeck-survey.js';
import '../src/dreamdeck-survey.js';
import { de } from '../src/strings-de.js';

const survey = {
  id: 'pulse',
  title: 'Quick check',
  questions: [
    { id: 'fun', kind: 'rating' as const, prompt: 'Fun?' },
    { id: 'pace', kind: 'choice' as const, prompt: 'Pace?', options: ['slow', '<b>fast</b>'] },
    { id: 'note', kind: 'text' as const, prompt: 'Anything <i>else</i>?' },
  ],
};

async function card(configure: (element: DreamdeckSurvey) => void = () => undefined) {
  const element = document.createElement('dreamdeck-survey');
  element.survey = survey;
  configure(element);
  document.body.append(element);
  await element.updateComplete;
  const answers: unknown[] = [];
  element.addEventListener('dreamdeck-survey-answer', (event) => answers.push((event as CustomEvent).detail.value));
  return { element, root: element.shadowRoot!, answers };
}

const click = (element: Element | null | undefined) => (element as HTMLElement).click();

describe('<dreamdeck-survey>', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders each question by kind, as plain text', async () => {
    const { root } = await card();
    const questions = root.querySelectorAll('[part="question"]');
    expect(questions).toHaveLength(3);
    expect(questions[0]?.querySelectorAll('input[type="radio"]')).toHaveLength(5);
    expect([...(questions[1]?.querySelectorAll('label') ?? [])].map((label) => label.textContent?.trim())).toEqual([
      'slow',
      '<b>fast</b>',
    ]);
    expect(root.querySelector('b, i')).toBeNull();
    expect(questions[2]?.querySelector('textarea')?.maxLength).toBe(2000);
  });

  it('sends the answers given (trimmed text), refuses an empty card, and skips with null', async () => {
    const { element, root, answers } = await card();
    click(root.querySelector('button[type="submit"]'));
    await element.updateComplete;
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Answer at least one question');
    expect(answers).toEqual([]);

    const radios = root.querySelectorAll<HTMLInputElement>('input[type="radio"]');
    click(radios[3]); // rating 4
    click(radios[6]); // "<b>fast</b>"
    const text = root.querySelector('textarea')!;
    text.value = '  more owls  ';
    text.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(root.querySelector('[role="alert"]')).toBeNull();
    click(root.querySelector('button[type="submit"]'));
    expect(answers).toEqual([{ fun: 4, pace: '<b>fast</b>', note: 'more owls' }]);

    click(root.querySelector('button[type="button"]'));
    expect(answers.at(-1)).toBeNull();
  });

  it('disables its buttons while a turn runs, and takes replacement strings', async () => {
    const { root } = await card((element) => {
      element.busy = true;
      element.strings = de.survey;
    });
    const buttons = [...root.querySelectorAll('button')];
    expect(buttons.map((button) => [button.textContent?.trim(), button.disabled])).toEqual([
      ['Antworten senden', true],
      ['Überspringen', true],
    ]);
  });
});
