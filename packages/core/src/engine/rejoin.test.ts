import { afterEach, describe, expect, it } from 'vitest';
import { createDreamdeck, type Dreamdeck } from '../dreamdeck.js';
import { DreamdeckError } from '../errors.js';
import { createDemoModel } from '../models/demo-model.js';
import type { TurnEventEntry } from '../storage/domains/turn-event-storage.js';
import type { Turn } from '../types.js';

let dd: Dreamdeck | undefined;
afterEach(async () => {
  await dd?.close();
  dd = undefined;
});

async function engine(options: { latencyMs?: number; turnRetentionMs?: number } = {}) {
  dd = await createDreamdeck({
    model: createDemoModel({ latencyMs: options.latencyMs ?? 5 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
    ...(options.turnRetentionMs !== undefined && { turnRetentionMs: options.turnRetentionMs }),
  });
  return dd;
}

async function drain(turn: Turn) {
  for await (const _ of turn) {
    // the engine's own iterator
  }
  return turn.result;
}

async function collect(replay: AsyncIterable<TurnEventEntry>): Promise<TurnEventEntry[]> {
  const entries: TurnEventEntry[] = [];
  for await (const entry of replay) entries.push(entry);
  return entries;
}

async function rejected(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!DreamdeckError.isInstance(error)) throw new Error(`expected a DreamdeckError, got ${String(error)}`);
  return error;
}

describe('session.rejoin', () => {
  it('replays a running turn from any seq: the same numbered entries for every reader, up to turn-end', async () => {
    const engineNow = await engine({ latencyMs: 5 });
    const session = await engineNow.openSession({ userId: 'u1' });
    const turn = session.send('I listen at the door.');
    const whole = collect(await session.rejoin(turn.turnId));
    // a reader that joins later, after the third entry
    await new Promise((resolve) => setTimeout(resolve, 60));
    const tail = collect(await session.rejoin(turn.turnId, { after: 3 }));
    const result = await drain(turn);
    const all = await whole;
    expect(all.map((entry) => entry.seq)).toEqual(all.map((_, index) => index + 1));
    expect(all[0]?.event).toMatchObject({ type: 'turn-start', turnId: turn.turnId });
    expect(all.at(-1)?.event).toEqual({ type: 'turn-end', turnId: turn.turnId, status: result.status });
    expect(await tail).toEqual(all.slice(3));
    const narration = result.messages.find((message) => message.kind === 'narration');
    const text = all
      .map((entry) => entry.event)
      .filter((event) => event.type === 'message-delta')
      .map((event) => (event.type === 'message-delta' ? event.text : ''))
      .join('');
    expect(text).toBe(narration?.content);
    // after the turn, within the retention: the whole turn again
    expect(await collect(await session.rejoin(turn.turnId))).toEqual(all);
  });

  it('NOT_FOUND for a turn of another thread, an unknown turn, or one past its retention; INVALID_INPUT for a bad `after`', async () => {
    const engineNow = await engine({ latencyMs: 0, turnRetentionMs: 30 });
    const session = await engineNow.openSession({ userId: 'u1' });
    const other = await engineNow.openSession({ userId: 'u1' });
    const turn = session.send('Hello.');
    await drain(turn);
    expect((await rejected(other.rejoin(turn.turnId))).code).toBe('NOT_FOUND');
    expect((await rejected(session.rejoin('turn_unknown'))).code).toBe('NOT_FOUND');
    expect((await rejected(session.rejoin(turn.turnId, { after: -1 }))).code).toBe('INVALID_INPUT');
    expect((await rejected(session.rejoin(turn.turnId, { after: 1.5 }))).code).toBe('INVALID_INPUT');
    for (let waited = 0; waited < 100; waited++) {
      const error = await session.rejoin(turn.turnId).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      if (error) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const gone = await rejected(session.rejoin(turn.turnId));
    expect(gone.code).toBe('NOT_FOUND');
    expect(gone.message).toMatch(/Reload the story/);
  });

  it('an aborted signal ends the iteration quietly; the turn goes on', async () => {
    const engineNow = await engine({ latencyMs: 5 });
    const session = await engineNow.openSession({ userId: 'u1' });
    const turn = session.send('I wait in the rain.');
    const controller = new AbortController();
    const seen: TurnEventEntry[] = [];
    for await (const entry of await session.rejoin(turn.turnId, { signal: controller.signal })) {
      seen.push(entry);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toHaveLength(3);
    expect((await drain(turn)).status).toBe('complete');
  });

  it('session.stop stops a running turn of its thread (aborted, partial reply kept); false for one it does not know', async () => {
    const engineNow = await engine({ latencyMs: 10 });
    const session = await engineNow.openSession({ userId: 'u1' });
    const stranger = await engineNow.openSession({ userId: 'u2' });
    const turn = session.send('I tell a long tale.');
    const iterator = turn[Symbol.asyncIterator]();
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      if (step.value.type === 'message-delta') break;
    }
    expect(await stranger.stop(turn.turnId)).toBe(false);
    expect(await session.stop(turn.turnId)).toBe(true);
    const result = await turn.result;
    expect(result.status).toBe('aborted');
    expect(result.messages.find((message) => message.kind === 'narration')?.status).toBe('aborted');
    expect(await session.stop('turn_unknown')).toBe(false);
  });

  it('turnRetentionMs must be 0 or more', async () => {
    const error = await rejected(createDreamdeck({ env: false, turnRetentionMs: -1 }));
    expect(error.code).toBe('CONFIG_INVALID');
  });
});
