/**
 * Surveys and prompt experiments in real Chromium against the example server (SQLite, demo model;
 * issue 22): the survey card's file is fetched only when a survey arrives; the card refuses an empty
 * answer, sends the player's answers (stored once), and a player who plays on instead leaves it
 * behind with the next turn working; `<dreamdeck-admin>` charts the survey's results and shows the
 * thumbs per prompt variant with Promote.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('surveys and prompt experiments in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({
      config: {
        features: { imageGeneration: false },
        surveys: [
          {
            id: 'first-look',
            title: 'How is it going so far?',
            after: { turns: 1 },
            questions: [
              { id: 'fun', kind: 'rating', prompt: 'How much fun is it?' },
              { id: 'pace', kind: 'choice', prompt: 'The pace is…', options: ['too slow', 'right', 'too fast'] },
              { id: 'wish', kind: 'text', prompt: 'What would you like more of?' },
            ],
          },
        ],
        personas: {
          storyteller: {
            name: 'Storyteller GM',
            prompt: 'You are {{name}}.',
            variants: [
              { id: 'plain', prompt: 'You are {{name}}; plain words.' },
              { id: 'vivid', prompt: 'You are {{name}}; vivid words.' },
            ],
          },
        },
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function say(page: Page, text: string) {
    const input = page.locator('dreamdeck-chat textarea').first();
    await input.fill(text);
    await input.press('Enter');
    await waitIdle(page);
  }

  async function newPage() {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    return { page, errors, fetched };
  }

  it('shows the survey as a card, refuses an empty answer, and stores the answers once', async () => {
    const { page, errors, fetched } = await newPage();
    await openChat(page, server.url);
    expect(fetched).not.toContain('/dreamdeck-survey.js');
    await say(page, 'I open the door of the inn.');
    const card = page.locator('dreamdeck-chat dreamdeck-survey');
    await card.locator('[part="question"]').first().waitFor();
    expect(fetched).toContain('/dreamdeck-survey.js');
    await expect(page.locator('dreamdeck-chat [part="interrupt"] p').first().textContent()).resolves.toBe(
      'How is it going so far?',
    );
    expect(await card.locator('[part="question"]').count()).toBe(3);

    // nothing answered: a hint, nothing sent
    await card.getByRole('button', { name: 'Send answers' }).click();
    await card.getByRole('alert').waitFor();
    expect((await server.dd.surveys.report('first-look')).responses).toBe(0);

    await card.getByRole('radio', { name: '4' }).check();
    await card.getByRole('radio', { name: 'right' }).check();
    await card.locator('textarea').fill('More <b>dragons</b>');
    await card.getByRole('button', { name: 'Send answers' }).click();
    await card.waitFor({ state: 'detached' });
    await waitIdle(page);
    await expect.poll(async () => (await server.dd.surveys.report('first-look')).answered, { timeout: 10_000 }).toBe(1);
    const report = await server.dd.surveys.report('first-look');
    expect(report.questions[0]).toMatchObject({ mean: 4 });
    expect(report.questions[2]).toMatchObject({ answers: [{ text: 'More <b>dragons</b>' }] });

    // answered: after a reload there is no card, and the story goes on
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    expect(await page.locator('dreamdeck-chat dreamdeck-survey').count()).toBe(0);
    await say(page, 'I sit by the fire.');
    expect(await page.locator('dreamdeck-chat dreamdeck-survey').count()).toBe(0);
    expect(await page.locator('dreamdeck-chat [part="error"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a player who plays on leaves the survey behind; the next turn works', async () => {
    const { page, errors } = await newPage();
    await openChat(page, server.url);
    await say(page, 'I climb the hill.');
    await page.locator('dreamdeck-chat dreamdeck-survey [part="question"]').first().waitFor();
    // a reload while the survey waits shows it again (GET /threads/:id carries its questions)
    await page.reload();
    await page.locator('dreamdeck-chat dreamdeck-survey [part="question"]').first().waitFor();
    expect(await page.locator('dreamdeck-chat dreamdeck-survey [part="question"]').count()).toBe(3);
    const before = await page.locator('dreamdeck-chat dreamdeck-message').count();
    await say(page, 'I keep climbing instead.');
    expect(await page.locator('dreamdeck-chat dreamdeck-survey').count()).toBe(0);
    expect(await page.locator('dreamdeck-chat dreamdeck-message').count()).toBeGreaterThan(before);
    expect(await page.locator('dreamdeck-chat [part="error"]').count()).toBe(0);
    // after a reload the question is gone for good
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    expect(await page.locator('dreamdeck-chat dreamdeck-survey').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('<dreamdeck-admin> charts the survey and promotes a prompt variant', async () => {
    // thumbs on two GM replies, whichever variants wrote them
    for (const user of ['voter-1', 'voter-2', 'voter-3']) {
      const session = await server.dd.openSession({ userId: user });
      const result = await session.send('I look around.').result;
      const reply = result.messages.find((m) => m.kind === 'narration')!;
      await session.feedback(reply.id, 1);
    }
    const { page, errors } = await newPage();
    const token = await server.auth.issueToken({ id: 'admin', roles: ['admin'] });
    await page.goto(`${server.url}/admin#token=${encodeURIComponent(token)}`);
    const experiments = page.locator('dreamdeck-admin dreamdeck-admin-experiments');
    const survey = experiments.locator('[part="survey"][data-survey="first-look"]');
    await survey.waitFor();
    await expect(survey.locator('h4').textContent()).resolves.toBe('How is it going so far?');
    await expect(survey.locator('figcaption').first().textContent()).resolves.toContain('4.00');
    // the rating chart is an SVG with an accessible summary; the text answer is plain text
    await expect(survey.locator('svg[role="img"]').first().getAttribute('aria-label')).resolves.toContain(
      '4: Answers 1',
    );
    await expect(survey.locator('li').first().textContent()).resolves.toContain('More <b>dragons</b>');
    expect(await survey.locator('b').count()).toBe(0);

    const table = experiments.locator('[part="variants"][data-persona="storyteller"]');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const votes = await rows.evaluateAll((trs) =>
      trs.map((tr) => Number(tr.querySelectorAll('td')[0]?.textContent ?? 0)),
    );
    expect(votes.reduce((sum, n) => sum + n, 0)).toBe(3);
    await table.locator('tr[data-variant="vivid"]').getByRole('button', { name: 'Promote' }).click();
    await table.locator('tr[data-variant="vivid"]').getByText('Promoted').waitFor();
    const [experiment] = await server.dd.variants.report();
    expect(experiment?.promoted).toBe('vivid');
    expect(await table.locator('tr[data-variant="plain"]').getByRole('button', { name: 'Promote' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
