import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonaExperiment } from '../personas/dreamdeck-variants.js';
import type { SurveyReport } from '../surveys/survey-types.js';
import type { StoryMessage, ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: {
      limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 },
      features: { imageGeneration: false },
      surveys: [
        {
          id: 'pulse',
          title: 'Quick check',
          after: { turns: 1 },
          questions: [
            { id: 'fun', kind: 'rating', prompt: 'Fun?' },
            { id: 'pace', kind: 'choice', prompt: 'Pace?', options: ['slow', 'fast'] },
            { id: 'note', kind: 'text', prompt: 'Anything else?' },
          ],
        },
      ],
      personas: {
        storyteller: {
          name: 'Storyteller',
          prompt: 'You are {{name}}.',
          variants: [
            { id: 'terse', prompt: 'You are {{name}}; be terse.' },
            { id: 'lush', prompt: 'You are {{name}}; be lush.' },
          ],
        },
      },
    },
  });
});
afterAll(() => app.close());

const json = async <T>(response: Response) => (await response.json()) as T;

async function newThread(user: string): Promise<ThreadRecord> {
  return (await json<{ thread: ThreadRecord }>(await app.call(user, '/threads', { method: 'POST', json: {} }))).thread;
}

/** Plays a turn; resolves its events by name. */
async function play(user: string, threadId: string, text: string) {
  const response = await app.call(user, `/threads/${threadId}/turns`, { method: 'POST', json: { text } });
  expect(response.status).toBe(200);
  return readEvents(response);
}

async function resume(user: string, threadId: string, interruptId: string, value: unknown) {
  const response = await app.call(user, `/threads/${threadId}/resume`, {
    method: 'POST',
    json: { interruptId, value },
  });
  return { status: response.status, events: response.status === 200 ? await readEvents(response) : [], response };
}

describe('surveys over HTTP', () => {
  it('asks, refuses a wrong shape (nothing stored), stores an answer, and aggregates for admins only', async () => {
    const thread = await newThread('sam');
    const events = await play('sam', thread.id, 'I open the gate.');
    const asked = events.find((e) => e.event === 'interrupt')?.data as {
      interruptId: string;
      kind: string;
      prompt: string;
      survey: { questions: Array<{ id: string }> };
    };
    expect(asked).toMatchObject({ kind: 'survey', prompt: 'Quick check' });
    expect(asked.survey.questions.map((q) => q.id)).toEqual(['fun', 'pace', 'note']);
    expect(events.at(-1)?.data).toMatchObject({ status: 'interrupted' });
    // a client that reloads finds the pending survey with its questions
    const reloaded = await json<{ interrupt?: { interruptId: string; kind: string; survey?: { id: string } } }>(
      await app.call('sam', `/threads/${thread.id}`),
    );
    expect(reloaded.interrupt).toMatchObject({
      interruptId: asked.interruptId,
      kind: 'survey',
      survey: { id: 'pulse' },
    });

    // wrong shapes: refused at the edge (400); nothing stored
    expect((await resume('sam', thread.id, asked.interruptId, [1, 2])).status).toBe(400);
    expect((await resume('sam', thread.id, asked.interruptId, { fun: { deep: 1 } })).status).toBe(400);
    // refused before the turn starts: a 400 JSON error naming the question
    const wrong = await resume('sam', thread.id, asked.interruptId, { fun: 9 });
    expect(wrong.status).toBe(400);
    expect(await wrong.response.json()).toEqual({
      error: { code: 'INVALID_INPUT', message: 'Answer "fun" with a whole number from 1 to 5.' },
    });
    expect(await app.dd.surveys.response('sam', 'pulse')).toBeNull();

    const answered = await resume('sam', thread.id, asked.interruptId, { fun: 4, pace: 'fast', note: 'More owls' });
    expect(answered.events.at(-1)?.data).toMatchObject({ status: 'complete' });
    expect(await app.dd.surveys.response('sam', 'pulse')).toMatchObject({ answers: { fun: 4, pace: 'fast' } });

    // a second player skips it by playing on; a third skips explicitly
    const other = await newThread('tia');
    await play('tia', other.id, 'I wait.');
    const next = await play('tia', other.id, 'I wait some more.');
    expect(next.some((e) => e.event === 'interrupt')).toBe(false);
    expect(next.at(-1)?.data).toMatchObject({ status: 'complete' });
    const third = await newThread('uli');
    const uliAsked = (await play('uli', third.id, 'Hello.')).find((e) => e.event === 'interrupt')?.data as {
      interruptId: string;
    };
    expect((await resume('uli', third.id, uliAsked.interruptId, null)).events.at(-1)?.data).toMatchObject({
      status: 'complete',
    });

    expect((await app.call('sam', '/admin/surveys/pulse')).status).toBe(403);
    expect((await app.call(null, '/admin/surveys/pulse')).status).toBe(401);
    expect((await app.call('admin', '/admin/surveys/nope')).status).toBe(404);
    expect((await app.call('admin', '/admin/surveys/Bad%20Id')).status).toBe(400);
    expect((await app.call('admin', '/admin/surveys/pulse?limit=0')).status).toBe(400);
    expect((await app.call('admin', '/admin/surveys/pulse?cursor=x')).status).toBe(400);
    expect((await app.call('admin', '/admin/surveys/pulse?other=1')).status).toBe(400);
    const report = await json<SurveyReport>(await app.call('admin', '/admin/surveys/pulse?limit=5'));
    expect(report).toMatchObject({ responses: 2, answered: 1, skipped: 1 });
    expect(report.questions[0]).toMatchObject({ kind: 'rating', count: 1, mean: 4 });
    expect(report.questions[2]).toMatchObject({ kind: 'text', answers: [{ text: 'More owls' }] });
    const listed = await json<{ surveys: Array<{ id: string }> }>(await app.call('admin', '/admin/surveys'));
    expect(listed.surveys.map((s) => s.id)).toEqual(['pulse']);
  });
});

describe('prompt variants over HTTP', () => {
  it('reports thumbs per variant with an interval, and promotes (admin only, bad input refused)', async () => {
    for (let index = 0; index < 6; index++) {
      const user = `voter-${index}`;
      const thread = await newThread(user);
      // the first turn of each new user asks the survey too: skip it by playing on
      await play(user, thread.id, 'I look at the sky.');
      const { messages } = await json<{ messages: StoryMessage[] }>(await app.call(user, `/threads/${thread.id}`));
      const reply = messages.find((m) => m.kind === 'narration')!;
      expect(['terse', 'lush']).toContain(reply.variant);
      const vote = await app.call(user, `/threads/${thread.id}/messages/${reply.id}/feedback`, {
        method: 'POST',
        json: { value: reply.variant === 'lush' ? 1 : -1 },
      });
      expect(vote.status).toBe(204);
    }
    expect((await app.call('voter-0', '/admin/variants')).status).toBe(403);
    const { personas } = await json<{ personas: PersonaExperiment[] }>(await app.call('admin', '/admin/variants'));
    const experiment = personas.find((p) => p.persona === 'storyteller')!;
    const total = experiment.variants.reduce((sum, v) => sum + v.votes, 0);
    expect(total).toBe(6);
    for (const variant of experiment.variants) {
      expect(variant.interval.lower).toBeLessThanOrEqual(variant.interval.upper);
      if (variant.votes) expect(variant.upShare).toBe(variant.id === 'lush' ? 1 : 0);
    }

    const promote = (user: string, persona: string, body: unknown) =>
      app.call(user, `/admin/variants/${persona}/promote`, { method: 'POST', json: body });
    expect((await promote('voter-0', 'storyteller', { id: 'lush' })).status).toBe(403);
    expect((await promote('admin', 'storyteller', { id: 'nope' })).status).toBe(404);
    expect((await promote('admin', 'nobody', { id: 'lush' })).status).toBe(404);
    expect((await promote('admin', 'storyteller', {})).status).toBe(400);
    expect((await promote('admin', 'storyteller', { id: 'lush', extra: 1 })).status).toBe(400);
    const promoted = await promote('admin', 'storyteller', { id: 'lush' });
    expect(promoted.status).toBe(200);
    expect(await json(promoted)).toMatchObject({ promotion: { persona: 'storyteller', id: 'lush' } });
    const after = await json<{ personas: PersonaExperiment[] }>(await app.call('admin', '/admin/variants'));
    expect(after.personas.find((p) => p.persona === 'storyteller')?.promoted).toBe('lush');
  });
});
