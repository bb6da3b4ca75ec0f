import { describe, expect, it } from 'vitest';
import { createDemoModel, createMemoryStorage, type Dreamdeck, type TurnEvent } from '../src/index.js';
import { collect, FlakyModel, GatedModel, quietDreamdeck } from './helpers.js';

const TOKENS = ['The ', 'lantern ', 'gutters ', 'as ', 'the ', 'crypt ', 'door ', 'grinds ', 'open.'];
const deltas = (events: TurnEvent[]) => events.filter((event) => event.type === 'message-delta');
const refused = (events: TurnEvent[]) => events.map((event) => event.type);

/** Two sessions of `u1` on one new thread of `dd`. */
async function twoSessions(dd: Dreamdeck, other: Dreamdeck = dd) {
  const a = await dd.openSession({ userId: 'u1' });
  return { dd, a, b: await other.openSession({ userId: 'u1', threadId: a.threadId }) };
}

/** Polls `attempt` until it returns a value, for at most `limitMs` (the test fails past it). */
async function eventually<T>(attempt: () => Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('one turn per thread, in one engine', () => {
  it('two sessions on one thread: the second turn gets CONFLICT and the first keeps all its tokens', async () => {
    // Regression: the per-session lock let both run while the token sinks were keyed by thread,
    // so one iterator received the other's tokens (0 deltas for A, 213 for B, both "complete").
    const { dd, a, b } = await twoSessions(await quietDreamdeck({}, { model: createDemoModel({ latencyMs: 1 }) }));
    const engineEnds: string[] = [];
    dd.events.on('turn-end', (event) => engineEnds.push(event.status));
    const [first, second] = await Promise.all([
      collect(a.send('I step into the hall')),
      collect(b.send('I step into the hall too')),
    ]);
    expect(second.result.status).toBe('error');
    expect(second.result.error).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(refused(second.events)).toEqual(['turn-start', 'error', 'turn-end']);
    expect(second.events.at(-1)).toMatchObject({ type: 'turn-end', status: 'error' });
    expect(first.result.status).toBe('complete');
    expect(deltas(first.events).length).toBeGreaterThan(0);
    const narration = first.result.messages.find((m) => m.kind === 'narration');
    expect(first.text).toBe(narration?.content);
    expect(engineEnds.sort()).toEqual(['complete', 'error']);
    // the refused turn stored nothing
    expect((await a.history()).map((m) => m.content)).toEqual(['I step into the hall', narration?.content]);
    await dd.close();
  });

  it('send, resume and regenerate from another session are refused while a turn runs; the thread frees when it ends', async () => {
    const model = new GatedModel(TOKENS, 3);
    const { dd, a, b } = await twoSessions(await quietDreamdeck({}, { model }));
    const running = collect(a.send('I light the lantern'));
    await model.reached;
    expect(b.turnRunning).toBe(true);
    for (const turn of [b.send('me too'), b.resume('int_unknown', true), b.regenerate()]) {
      const { result, events } = await collect(turn);
      expect(result.error?.code).toBe('CONFLICT');
      expect(refused(events)).toEqual(['turn-start', 'error', 'turn-end']);
    }
    model.open();
    const first = await running;
    expect(first.result.status).toBe('complete');
    expect(first.text).toBe(TOKENS.join(''));
    expect(b.turnRunning).toBe(false);
    const after = await collect(b.send('I follow'));
    expect(after.result.status).toBe('complete');
    expect(after.text).toBe(TOKENS.join(''));
    await dd.close();
  });

  it('a refused turn does not count against turnsPerMinute', async () => {
    const model = new GatedModel(TOKENS, 2);
    const { dd, a, b } = await twoSessions(await quietDreamdeck({ limits: { turnsPerMinute: 2 } }, { model }));
    const running = collect(a.send('one'));
    await model.reached;
    for (let i = 0; i < 3; i++) expect((await collect(b.send('refused'))).result.error?.code).toBe('CONFLICT');
    model.open();
    await running;
    expect((await collect(b.send('two'))).result.status).toBe('complete');
    expect((await collect(b.send('three'))).result.error?.code).toBe('RATE_LIMITED');
    await dd.close();
  });

  it('the thread frees after an aborted turn and after a failed one', async () => {
    const model = new GatedModel(TOKENS, 2);
    const { dd, a, b } = await twoSessions(await quietDreamdeck({}, { model }));
    const controller = new AbortController();
    const aborted = collect(a.send('I wait', { signal: controller.signal }));
    await model.reached;
    controller.abort();
    expect((await aborted).result.status).toBe('aborted');
    model.open();
    expect((await collect(b.send('I go on'))).result.status).toBe('complete');

    const failing = new FlakyModel(TOKENS, 2);
    const { dd: flaky, a: c, b: d } = await twoSessions(await quietDreamdeck({}, { model: failing }));
    expect((await collect(c.send('I stumble'))).result.status).toBe('error');
    failing.fail = false;
    expect((await collect(d.send('I stumble again'))).result.status).toBe('complete');
    await Promise.all([dd.close(), flaky.close()]);
  });
});

describe('one turn per thread, across engines sharing one storage', () => {
  it('an engine sharing the storage gets CONFLICT while another engine runs a turn on the thread', async () => {
    const storage = createMemoryStorage();
    const model = new GatedModel(TOKENS, 3);
    const one = await quietDreamdeck({}, { storage, model });
    const two = await quietDreamdeck({}, { storage });
    const { a, b } = await twoSessions(one, two);
    const running = collect(a.send('I hold the door'));
    await model.reached;
    expect(b.turnRunning).toBe(false); // not in this engine: only the lease knows
    const second = await collect(b.send('I push the door'));
    expect(second.result.error?.code).toBe('CONFLICT');
    model.open();
    const first = await running;
    expect(first.text).toBe(TOKENS.join(''));
    expect((await collect(b.send('I push the door'))).result.status).toBe('complete');
    await two.close();
    await one.close();
  });

  it('a lease left by an instance that died blocks the thread until its TTL, then the story goes on', async () => {
    const storage = createMemoryStorage();
    const dd = await quietDreamdeck({}, { storage });
    const session = await dd.openSession({ userId: 'u1' });
    // what a process killed mid-turn leaves behind: its lease, never released nor renewed
    expect(await storage.acquireLease(`turn:${session.threadId}`, 'engine_dead:turn_1', 300)).toBe(true);
    expect((await collect(session.send('Anyone there?'))).result.error?.code).toBe('CONFLICT');
    const done = await eventually(async () => {
      const { result } = await collect(session.send('Anyone there?'));
      return result.error?.code === 'CONFLICT' ? undefined : result;
    });
    expect(done.status).toBe('complete');
    await dd.close();
  });

  it('a turn longer than the lease TTL renews its lease, so no other engine takes the thread', async () => {
    const storage = createMemoryStorage();
    const model = new GatedModel(TOKENS, 3);
    const one = await quietDreamdeck({}, { storage, model, turnLeaseMs: 150 });
    const two = await quietDreamdeck({}, { storage, turnLeaseMs: 150 });
    const { a, b } = await twoSessions(one, two);
    const running = collect(a.send('I keep watch'));
    await model.reached;
    let renewals = 0;
    const renew = storage.renewLease.bind(storage);
    storage.renewLease = async (...args) => {
      renewals++;
      return renew(...args);
    };
    await eventually(async () => (renewals >= 3 ? true : undefined));
    expect((await collect(b.send('I take over'))).result.error?.code).toBe('CONFLICT');
    model.open();
    expect((await running).text).toBe(TOKENS.join(''));
    await two.close();
    await one.close();
  });

  it('a turn whose lease was taken by another holder stops as aborted', async () => {
    const storage = createMemoryStorage();
    storage.renewLease = async () => false;
    const model = new GatedModel(TOKENS, 3);
    const dd = await quietDreamdeck({}, { storage, model, turnLeaseMs: 150 });
    const session = await dd.openSession({ userId: 'u1' });
    const turn = collect(session.send('I doze off'));
    await model.reached;
    const { result } = await turn;
    expect(result.status).toBe('aborted');
    model.open();
    await dd.close();
  });

  it('rejects a turnLeaseMs that is not a sane number of milliseconds', async () => {
    for (const turnLeaseMs of [0, 50, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(quietDreamdeck({}, { turnLeaseMs })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });
});
