import { afterAll, describe, expect, it } from 'vitest';
import {
  ChaosServers,
  chaosToken,
  createThread,
  postTurn,
  readThread,
  type StreamEvent,
  sleep,
  type TurnOutcome,
} from '../support/chaos.js';
import { requirePostgresBinaries, ThrowawayCluster } from '../support/throwaway-postgres.js';

const bin = requirePostgresBinaries();
/** How each restart stops the database: `fast` closes every connection; `immediate` is a crash (recovery on start). */
const STOP_MODES = ['fast', 'immediate', 'fast'] as const;
const RESTARTS = STOP_MODES.length;
const THREADS = 4;
const DOWN_MS = 1500;

/** What a player must never read: driver errors, server states, addresses. */
const LEAK =
  /ECONN|starting up|shutting down|terminat|administrator command|57P0|08006|\[postgres\]|\[dreamdeck\]|127\.0\.0\.1|postgres:\/\//i;

interface Played {
  threadId: string;
  text: string;
  sentAt: number;
  startedAt?: number;
  endedAt?: number;
  outcome?: TurnOutcome;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!bin)('chaos: PostgreSQL restarts under load (a throwaway cluster)', () => {
  it(`the server recovers on its own from ${RESTARTS} database restarts mid-turn (fast, immediate, fast): clean errors, nothing accepted lost, new turns succeed`, async () => {
    const testStarted = Date.now();
    const cluster = await ThrowawayCluster.create(bin!);
    cleanups.push(() => cluster.destroy());
    const servers = await ChaosServers.create({
      CHAOS_STORAGE: `postgres:${cluster.url}`,
      CHAOS_SCHEMA: 'chaos',
      CHAOS_LEASE_MS: '1000',
      CHAOS_LATENCY_MS: '15',
      CHAOS_LOG_LEVEL: 'error',
    });
    cleanups.push(() => servers.close());
    const server = await servers.start();
    const token = await chaosToken('restart-player');
    const threadIds: string[] = [];
    for (let index = 0; index < THREADS; index++)
      threadIds.push(await createThread(server.url, token, `Restart ${index}`));

    // Each player plays turn after turn on its thread until told to stop.
    const played: Played[] = [];
    const streaming = new Set<string>();
    let stop = false;
    let turnNumber = 0;
    const players = threadIds.map(async (threadId, index) => {
      while (!stop) {
        const turn: Played = { threadId, text: `Turn ${++turnNumber} on thread ${index}`, sentAt: Date.now() };
        played.push(turn);
        turn.outcome = await postTurn(server.url, token, threadId, turn.text, (event: StreamEvent) => {
          if (event.type === 'turn-start') {
            turn.startedAt = Date.now();
            streaming.add(threadId);
          }
          if (event.type === 'turn-end') {
            turn.endedAt = Date.now();
            streaming.delete(threadId);
          }
        });
        streaming.delete(threadId);
        // refused while the database is down (503) or a lease is still held (409): try again soon
        if (turn.outcome.events.length === 0) await sleep(100);
      }
    });

    const outages: Array<{ stoppedAt: number; startedAt: number; recoveredAt?: number }> = [];
    for (let restart = 0; restart < RESTARTS; restart++) {
      // stop the database while at least two turns stream
      const waitUntil = Date.now() + 10_000;
      while (streaming.size < 2 && Date.now() < waitUntil) await sleep(20);
      await sleep(100);
      const stoppedAt = Date.now();
      await cluster.stop(STOP_MODES[restart]);
      await sleep(DOWN_MS);
      const startedAt = Date.now();
      await cluster.start();
      const outage: (typeof outages)[number] = { stoppedAt, startedAt };
      outages.push(outage);
      // recovered: every thread has completed a turn sent after the database came back
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const recovered = threadIds.every((threadId) =>
          played.some(
            (turn) =>
              turn.threadId === threadId &&
              turn.sentAt >= startedAt &&
              turn.outcome?.events.at(-1)?.data.status === 'complete',
          ),
        );
        if (recovered) {
          outage.recoveredAt = Date.now();
          break;
        }
        await sleep(50);
      }
      expect(
        outage.recoveredAt,
        `recovery after restart ${restart + 1}:\n${server.stderr().slice(-3000)}`,
      ).toBeDefined();
    }
    stop = true;
    await Promise.all(players);

    // The Node process lived through it all, and no stream was cut.
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    const finished = played.filter((turn) => turn.outcome);
    expect(
      finished.filter((turn) => turn.outcome!.status === 0 || (turn.outcome!.events.length > 0 && turn.outcome!.cut)),
    ).toEqual([]);

    // Every error a player saw is a clean, retryable STORAGE_ERROR with the generic message.
    const errorEvents = finished.flatMap((turn) => turn.outcome!.events.filter((event) => event.type === 'error'));
    const jsonErrors = finished
      .filter((turn) => turn.outcome!.error)
      .map((turn) => ({ status: turn.outcome!.status, ...turn.outcome!.error! }));
    for (const event of errorEvents) {
      expect(event.data).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
      expect(event.data.message).not.toMatch(LEAK);
    }
    for (const error of jsonErrors) {
      expect(error.message).not.toMatch(LEAK);
      expect([409, 503]).toContain(error.status);
      if (error.status === 503) expect(error.code).toBe('STORAGE_ERROR');
    }

    // The turns streaming when the database stopped ended with turn-end: done, or a clean error.
    const inFlight = finished.filter((turn) =>
      outages.some(
        ({ stoppedAt }) =>
          turn.startedAt !== undefined && turn.startedAt < stoppedAt && (turn.endedAt ?? Infinity) > stoppedAt,
      ),
    );
    for (const { stoppedAt } of outages) {
      expect(
        inFlight.filter((turn) => turn.startedAt! < stoppedAt && (turn.endedAt ?? Infinity) > stoppedAt).length,
      ).toBeGreaterThan(0);
    }
    for (const turn of inFlight) {
      const last = turn.outcome!.events.at(-1)!;
      expect(last.type).toBe('turn-end');
      expect(['complete', 'error']).toContain(last.data.status);
    }
    const failedInFlight = inFlight.filter((turn) => turn.outcome!.events.at(-1)!.data.status === 'error');
    expect(failedInFlight.length).toBeGreaterThan(0);

    // Nothing accepted is lost. Accepted: the stream went past turn-start (the player's message was
    // stored before anything else is sent). A turn whose only answer after turn-start is the
    // error was refused, and the player is told so.
    const accepted = finished.filter((turn) => {
      const [first, second] = turn.outcome!.events;
      return first?.type === 'turn-start' && second !== undefined && second.type !== 'error';
    });
    const refusedAtStart = finished.filter((turn) => {
      const [first, second] = turn.outcome!.events;
      return first?.type === 'turn-start' && second?.type === 'error';
    });
    const lost: string[] = [];
    let refusedButStored = 0;
    for (const threadId of threadIds) {
      const view = await readThread(server.url, token, threadId);
      expect(view.status).toBe(200);
      expect(view.messages.filter((message) => message.status === 'streaming')).toEqual([]);
      const texts = view.messages.filter((message) => message.role === 'user').map((message) => message.content);
      for (const turn of accepted.filter((t) => t.threadId === threadId)) {
        const found = texts.filter((text) => text === turn.text).length;
        if (found !== 1) lost.push(`"${turn.text}" found ${found} times`);
      }
      refusedButStored += refusedAtStart.filter((t) => t.threadId === threadId && texts.includes(t.text)).length;
    }
    const figures = {
      restarts: RESTARTS,
      turns: finished.length,
      accepted: accepted.length,
      lost: lost.length,
      inFlightAtStop: inFlight.length,
      inFlightEndedWithError: failedInFlight.length,
      errorEvents: errorEvents.length,
      refusedAtStart: refusedAtStart.length,
      refusedButStored,
      json503: jsonErrors.filter((error) => error.status === 503).length,
      json409: jsonErrors.filter((error) => error.status === 409).length,
      status5xxOtherThan503: jsonErrors.filter((error) => error.status >= 500 && error.status !== 503).length,
      recoveryMs: outages.map((outage) => (outage.recoveredAt ?? Number.NaN) - outage.startedAt),
      ms: Date.now() - testStarted,
    };
    console.log(`[chaos] postgres restarts: ${JSON.stringify(figures)}`);
    expect(lost).toEqual([]);
    expect(accepted.length).toBeGreaterThan(RESTARTS * THREADS);
  }, 180_000);
});
