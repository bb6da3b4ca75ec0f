/**
 * Surveys and prompt experiments (issue 22) through the engine API on memory, SQLite and
 * PostgreSQL: a survey is asked as a `survey` interrupt at the end of the configured turn, answered
 * (stored once per user), refused when the answer has the wrong shape (nothing stored, the question
 * stays open), skipped, or left behind by playing on (the next turns run normally and leave no
 * checkpoints piling up); a persona's prompt variants are assigned per thread by a hash of its id,
 * recorded on each GM message (read back from the raw backend too), counted per variant from thumbs,
 * and a promotion survives a restart on the same storage.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import {
  assignVariant,
  createDemoModel,
  createDreamdeck,
  createMemoryStorage,
  type Dreamdeck,
  type DreamdeckConfigInput,
  DreamdeckError,
  type StorageAdapter,
} from '@dreamdeck/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';

// better-sqlite3 is the adapters' (optional peer) dependency, not this package's: load it from there
// (the raw reads below need only this much of it)
type RawDatabase = new (
  path: string,
  options: { readonly: boolean },
) => { prepare(sql: string): { get(...params: unknown[]): unknown }; close(): void };
const Database = createRequire(new URL('../packages/adapters/package.json', import.meta.url))(
  'better-sqlite3',
) as RawDatabase;

const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) await dropSchemas(schemas);
});

/** A backend: a storage factory (the same place each call), and how to read a message's variant raw. */
interface Backend {
  create: () => StorageAdapter;
  /** The `variant` column of a stored message, read without the adapter (undefined: no raw access). */
  rawVariant?: (messageId: string) => Promise<string | null | undefined>;
  /** Whether a second storage from `create` sees the first one's data. */
  durable: boolean;
}

function sqliteBackend(): Backend {
  const path = join(mkdtempSync(join(tmpdir(), 'dd-exp-')), 'story.db');
  return {
    create: () => createSqliteStorage({ path }),
    rawVariant: async (id) => {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare('SELECT variant FROM dd_messages WHERE id = ?').get(id) as { variant: string | null })
          .variant;
      } finally {
        db.close();
      }
    },
    durable: true,
  };
}

function postgresBackend(): Backend {
  const schema = uniqueSchema('experiments');
  schemas.push(schema);
  return {
    create: () => createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
    rawVariant: async (id) => {
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT variant FROM "${schema}".dd_messages WHERE id = $1`, [id]);
        return (rows[0] as { variant: string | null }).variant;
      } finally {
        await client.end();
      }
    },
    durable: true,
  };
}

const backends: Array<[string, () => Backend, boolean]> = [
  ['memory', () => ({ create: () => createMemoryStorage(), durable: false }), true],
  ['sqlite', sqliteBackend, true],
  ['postgres', postgresBackend, postgres],
];

const SURVEYS: DreamdeckConfigInput['surveys'] = [
  {
    id: 'first-impressions',
    title: 'How is the story going?',
    after: { turns: 2 },
    questions: [
      { id: 'fun', kind: 'rating', prompt: 'How much fun are you having?' },
      { id: 'pace', kind: 'choice', prompt: 'The pace is…', options: ['too slow', 'right', 'too fast'] },
      { id: 'wish', kind: 'text', prompt: 'What would you like more of?' },
    ],
  },
];

const PERSONAS: DreamdeckConfigInput['personas'] = {
  storyteller: {
    name: 'Storyteller GM',
    prompt: 'You are {{name}}. Tools: {{tools}}.',
    variants: [
      { id: 'plain', prompt: 'PLAIN VOICE. You are {{name}}. Tools: {{tools}}.' },
      { id: 'vivid', prompt: 'VIVID VOICE. You are {{name}}, lush and sensory. Tools: {{tools}}.' },
    ],
  },
};

async function engine(storage: StorageAdapter): Promise<Dreamdeck> {
  return createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { turnsPerMinute: 10_000, apiCallsPerHour: 100_000 },
      surveys: SURVEYS,
      personas: PERSONAS,
    },
  });
}

async function checkpoints(storage: StorageAdapter, threadId: string): Promise<number> {
  let count = 0;
  for await (const _ of storage.checkpointer.list({ configurable: { thread_id: threadId } })) count++;
  return count;
}

describe.each(backends)('surveys: %s', (_name, makeBackend, available) => {
  it.skipIf(!available)(
    'asks after the configured turn; answers are stored once per user; a wrong shape stores nothing',
    async () => {
      const storage = makeBackend().create();
      const dd = await engine(storage);
      try {
        const session = await dd.openSession({ userId: 'ada' });
        const first = await session.send('I step into the tavern').result;
        expect(first.status).toBe('complete');
        expect(first.interrupt).toBeUndefined();
        const second = await session.send('I order a cider').result;
        expect(second.status).toBe('interrupted');
        expect(second.interrupt?.kind).toBe('survey');
        expect(second.interrupt?.prompt).toBe('How is the story going?');
        expect(second.interrupt?.survey?.questions.map((q) => q.id)).toEqual(['fun', 'pace', 'wish']);
        // the GM's narration of that turn is there as usual
        expect(second.messages.some((m) => m.kind === 'narration' && m.status === 'complete')).toBe(true);
        const interruptId = second.interrupt!.interruptId;

        for (const wrong of [{ fun: 7 }, { pace: 'sideways' }, { nope: 1 }, { fun: 2.5 }, ['fun'], 'great', {}]) {
          const refused = await session.resume(interruptId, wrong).result;
          expect(refused.status).toBe('error');
          expect(refused.error?.code).toBe('INVALID_INPUT');
        }
        expect(await dd.surveys.response('ada', 'first-impressions')).toBeNull();
        // still open after the refusals
        expect((await session.pendingInterrupt())?.interruptId).toBe(interruptId);

        const events: string[] = [];
        const answered = session.resume(interruptId, { fun: 4, pace: 'right', wish: '  more\u0007 dragons ' });
        for await (const event of answered) events.push(event.type === 'status' ? `status:${event.text}` : event.type);
        expect((await answered.result).status).toBe('complete');
        expect(events).toContain('status:Thanks for answering!');
        const stored = await dd.surveys.response('ada', 'first-impressions');
        expect(stored).toMatchObject({
          userId: 'ada',
          threadId: session.threadId,
          answers: { fun: 4, pace: 'right', wish: 'more dragons' },
        });
        // answered once: the same question cannot be answered again, and no later turn asks again
        const again = await session.resume(interruptId, { fun: 1 }).result;
        expect(again.error?.code).toBe('NOT_FOUND');
        for (let turn = 0; turn < 3; turn++)
          expect((await session.send(`I look around ${turn}`).result).status).toBe('complete');
        const elsewhere = await dd.openSession({ userId: 'ada' });
        expect((await elsewhere.send('A new tale begins').result).status).toBe('complete');

        // outside a turn: a second response is a CONFLICT, a wrong shape INVALID_INPUT, and nothing changes
        const conflict = await dd.surveys.respond('ada', 'first-impressions', { fun: 1 }).catch((e: unknown) => e);
        expect(DreamdeckError.isInstance(conflict) && conflict.code).toBe('CONFLICT');
        const badShape = await dd.surveys.respond('bob', 'first-impressions', { fun: 'five' }).catch((e: unknown) => e);
        expect(DreamdeckError.isInstance(badShape) && badShape.code).toBe('INVALID_INPUT');
        expect(await dd.surveys.response('bob', 'first-impressions')).toBeNull();
        // two responses of one player at once: exactly one is stored, the other is a CONFLICT
        const raced = await Promise.allSettled([
          dd.surveys.respond('gus', 'first-impressions', { fun: 1 }),
          dd.surveys.respond('gus', 'first-impressions', { fun: 5 }),
        ]);
        const won = raced.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
        const lost = raced.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
        expect(won).toHaveLength(1);
        expect(lost.map((e: unknown) => DreamdeckError.isInstance(e) && e.code)).toEqual(['CONFLICT']);
        expect((await dd.surveys.response('gus', 'first-impressions'))?.answers).toEqual(won[0]?.answers);
        const unknown = await dd.surveys.report('no-such-survey').catch((e: unknown) => e);
        expect(DreamdeckError.isInstance(unknown) && unknown.code).toBe('NOT_FOUND');
        expect(await dd.surveys.response('ada', 'first-impressions')).toMatchObject({ answers: { fun: 4 } });
      } finally {
        await dd.close();
      }
    },
  );

  it.skipIf(!available)(
    'playing on skips the survey: the next turns run, the question expires, checkpoints do not pile up',
    async () => {
      const storage = makeBackend().create();
      const dd = await engine(storage);
      try {
        const session = await dd.openSession({ userId: 'cy' });
        await session.send('I wake in a meadow').result;
        const asked = await session.send('I stand up').result;
        expect(asked.interrupt?.kind).toBe('survey');
        const afterSurvey = await checkpoints(storage, session.threadId);
        for (let turn = 0; turn < 12; turn++) {
          const result = await session.send(`I walk on, step ${turn}`).result;
          expect(result.status).toBe('complete');
          expect(result.interrupt).toBeUndefined();
        }
        expect(await session.pendingInterrupt()).toBeUndefined();
        expect(await checkpoints(storage, session.threadId)).toBeLessThanOrEqual(afterSurvey);
        const stale = await session.resume(asked.interrupt!.interruptId, { fun: 5 }).result;
        expect(stale.error?.code).toBe('NOT_FOUND');
        expect(await dd.surveys.response('cy', 'first-impressions')).toBeNull();

        // a player who skips explicitly is recorded as a skip; the report counts both kinds
        const other = await dd.openSession({ userId: 'dee' });
        await other.send('Hello').result;
        const skip = await other.send('Hello again').result;
        const skipped = await other.resume(skip.interrupt!.interruptId, null).result;
        expect(skipped.error).toBeUndefined();
        expect(skipped.status).toBe('complete');
        expect(await dd.surveys.response('dee', 'first-impressions')).toMatchObject({ answers: null });
        await dd.surveys.respond('eve', 'first-impressions', { fun: 2, pace: 'too slow', wish: 'maps' });
        await dd.surveys.respond('fay', 'first-impressions', { fun: 5, pace: 'too slow' });
        const report = await dd.surveys.report('first-impressions', { limit: 1 });
        expect(report).toMatchObject({ responses: 3, answered: 2, skipped: 1 });
        const [fun, pace, wish] = report.questions;
        expect(fun).toMatchObject({ kind: 'rating', count: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] });
        expect(pace).toMatchObject({ kind: 'choice', count: 2 });
        expect(pace?.kind === 'choice' && pace.options.find((o) => o.option === 'too slow')).toMatchObject({
          count: 2,
          share: 1,
        });
        expect(wish).toMatchObject({ kind: 'text', count: 1, answers: [{ text: 'maps' }] });
        expect(report.nextCursor).toBeUndefined();
      } finally {
        await dd.close();
      }
    },
  );
});

describe.each(backends)('prompt variants: %s', (_name, makeBackend, available) => {
  it.skipIf(!available)(
    'assigns a variant per thread, records it on GM messages, counts thumbs, and a promotion persists',
    async () => {
      const backend = makeBackend();
      const storage = backend.create();
      let dd = await engine(storage);
      const persona = dd.personas().find((p) => p.id === 'storyteller')!;
      try {
        const seen = new Set<string>();
        let vividMessage: string | undefined;
        let plainSession: Awaited<ReturnType<Dreamdeck['openSession']>> | undefined;
        for (let thread = 0; thread < 8; thread++) {
          const session = await dd.openSession({ userId: `player-${thread}` });
          const expected = assignVariant(persona, session.threadId)!.id;
          const context = await session.context('I look around');
          expect(context.messages[0]?.content).toContain(expected === 'vivid' ? 'VIVID VOICE' : 'PLAIN VOICE');
          const result = await session.send('I look around').result;
          const narration = result.messages.find((m) => m.kind === 'narration')!;
          expect(narration.variant).toBe(expected);
          expect((await session.history()).find((m) => m.id === narration.id)?.variant).toBe(expected);
          if (backend.rawVariant) expect(await backend.rawVariant(narration.id)).toBe(expected);
          seen.add(expected);
          await session.feedback(narration.id, expected === 'vivid' ? 1 : -1);
          if (expected === 'vivid') vividMessage = narration.id;
          else plainSession = session;
        }
        expect(seen.size).toBe(2);
        const [experiment] = await dd.variants.report();
        expect(experiment?.persona).toBe('storyteller');
        expect(experiment?.promoted).toBeUndefined();
        const vivid = experiment?.variants.find((v) => v.id === 'vivid');
        const plain = experiment?.variants.find((v) => v.id === 'plain');
        expect(vivid?.down).toBe(0);
        expect(plain?.up).toBe(0);
        expect((vivid?.up ?? 0) + (plain?.down ?? 0)).toBe(8);
        expect(vivid?.interval.lower).toBeGreaterThan(0);
        expect(vivid?.interval.upper).toBe(1);
        expect(vividMessage).toBeDefined();

        for (const [p, id] of [
          ['storyteller', 'loud'],
          ['nobody', 'vivid'],
        ] as const) {
          const refused = await dd.variants.promote(p, id).catch((e: unknown) => e);
          expect(DreamdeckError.isInstance(refused) && refused.code).toBe('NOT_FOUND');
        }
        await dd.variants.promote('storyteller', 'vivid');
        // a reply written in `plain` and regenerated after the promotion is written in `plain` again
        const regenerated = await plainSession!.regenerate().result;
        expect(regenerated.status).toBe('complete');
        expect(regenerated.messages.find((m) => m.kind === 'narration')?.variant).toBe('plain');
        if (backend.durable) {
          await dd.close();
          dd = await engine(backend.create());
        }
        const [after] = await dd.variants.report();
        expect(after?.promoted).toBe('vivid');
        expect(after?.variants.find((v) => v.id === 'vivid')?.promoted).toBe(true);
        for (let thread = 0; thread < 4; thread++) {
          const session = await dd.openSession({ userId: `later-${thread}` });
          const result = await session.send('I look around').result;
          expect(result.messages.find((m) => m.kind === 'narration')?.variant).toBe('vivid');
        }
      } finally {
        await dd.close();
      }
    },
  );
});
