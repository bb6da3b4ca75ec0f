import {
  type ChaosServer,
  ChaosServers,
  chaosToken,
  createThread,
  killHard,
  postTurn,
  readThread,
  seededRandom,
  sleep,
  type TurnOutcome,
} from '../support/chaos.js';

/** What {@link runKillScenario} counted. */
export interface KillReport {
  seed: number;
  /** `kill -9`s sent, and how many of them hit while at least one turn was streaming. */
  kills: number;
  midTurnKills: number;
  /** Turns whose stream began (`turn-start` arrived): their player message was accepted. */
  accepted: number;
  /** Accepted player messages missing (or doubled) after a restart. Must be 0. */
  lost: number;
  /** Turns that reached `turn-end` (between kills, and the final round). */
  completed: number;
  /** Replies a kill left mid-stream, shown `aborted` after the restart. */
  abortedShown: number;
  /** Messages still shown `streaming` after a restart. Must be 0. */
  leftStreaming: number;
  /** Answers of status 500 or more, on any request. Must be 0. */
  status5xx: number;
  /** 409s while a dead server's turn lease had not expired yet (retried). */
  conflicts: number;
  /** Threads on which the final turn did not complete. Must be 0. */
  unusable: number;
  /** Milliseconds from the kill to the restarted server listening (the spare's storage open and listen). */
  restartMs: number[];
  /** What went wrong, one line each (empty when all held). */
  problems: string[];
}

/** Options for {@link runKillScenario}. */
export interface KillScenarioOptions {
  /** The `CHAOS_*` environment of the servers (storage, lease, model latency). */
  env: Record<string, string>;
  seed: number;
  /** How many mid-turn kills to reach (default 20). */
  kills?: number;
  /** Threads with a turn in flight at each kill (default 3). */
  threads?: number;
}

/**
 * Kills a real server process (`kill -9`) at seeded random moments while turns stream on several
 * threads, restarting it on the same storage after each kill, until `kills` of the kills landed
 * mid-turn. After each restart every thread is read over HTTP: each accepted player message (its
 * stream's `turn-start` arrived) must be there exactly once, no message may still be `streaming`,
 * and nothing may answer 5xx. Each next round's turns are new turns on the killed threads, refused
 * with 409 only until the dead server's lease expires; at the end every thread must complete a turn.
 */
export async function runKillScenario(options: KillScenarioOptions): Promise<KillReport> {
  const wanted = options.kills ?? 20;
  const random = seededRandom(options.seed);
  const report: KillReport = {
    seed: options.seed,
    kills: 0,
    midTurnKills: 0,
    accepted: 0,
    lost: 0,
    completed: 0,
    abortedShown: 0,
    leftStreaming: 0,
    status5xx: 0,
    conflicts: 0,
    unusable: 0,
    restartMs: [],
    problems: [],
  };
  const servers = await ChaosServers.create(options.env);
  try {
    const token = await chaosToken('chaos-player');
    let server = await servers.start();
    const threadIds: string[] = [];
    for (let index = 0; index < (options.threads ?? 3); index++) {
      threadIds.push(await createThread(server.url, token, `Chaos ${index}`));
    }
    const accepted = new Map<string, string[]>(threadIds.map((id) => [id, []]));
    let turnNumber = 0;

    /** One turn on a thread; a 409 (the dead server's lease) is retried until `dead()` says stop. */
    const playTurn = async (
      target: ChaosServer,
      threadId: string,
      text: string,
      onStart: () => void,
      onEnd: () => void,
    ) => {
      for (;;) {
        const outcome: TurnOutcome = await postTurn(target.url, token, threadId, text, (event) => {
          if (event.type === 'turn-start') {
            accepted.get(threadId)!.push(text);
            report.accepted++;
            onStart();
          }
          if (event.type === 'turn-end') onEnd();
        });
        if (outcome.status >= 500) {
          report.status5xx++;
          report.problems.push(`POST /turns answered ${outcome.status}: ${JSON.stringify(outcome.error)}`);
        }
        if (outcome.status === 409 && target.child.exitCode === null && target.child.signalCode === null) {
          report.conflicts++;
          await sleep(50);
          continue;
        }
        const end = outcome.events.at(-1);
        if (end?.type === 'turn-end') {
          if (end.data.status === 'complete') report.completed++;
          else
            report.problems.push(
              `a turn ended ${end.data.status} without a kill: ${JSON.stringify(outcome.events.slice(-3))}`,
            );
        }
        return outcome;
      }
    };

    while (report.midTurnKills < wanted && report.kills < wanted * 3) {
      // the round's schedule comes from the seed: each thread's start offset, then the kill delay
      const offsets = threadIds.map(() => Math.floor(random() * 150));
      const killDelay = 50 + Math.floor(random() * 450);
      const streaming = new Set<string>();
      let firstStart!: () => void;
      const started = new Promise<void>((resolve) => (firstStart = resolve));
      const turns = threadIds.map(async (threadId, index) => {
        await sleep(offsets[index]!);
        const text = `Turn ${++turnNumber}: I search the crypt (thread ${index})`;
        await playTurn(
          server,
          threadId,
          text,
          () => {
            streaming.add(threadId);
            firstStart();
          },
          () => streaming.delete(threadId),
        );
      });
      await Promise.race([started, sleep(5000)]);
      await sleep(killDelay);
      const midTurn = streaming.size > 0;
      await killHard(server);
      const killedAt = Date.now();
      report.kills++;
      if (midTurn) report.midTurnKills++;
      await Promise.all(turns);

      server = await servers.start();
      report.restartMs.push(Date.now() - killedAt);
      for (const threadId of threadIds) await checkThread(server, token, threadId, accepted.get(threadId)!, report);
    }

    // every thread takes a whole new turn once the last dead server's lease has expired
    const finals = await Promise.all(
      threadIds.map((threadId, index) =>
        playTurn(
          server,
          threadId,
          `Final turn: the story goes on (thread ${index})`,
          () => {},
          () => {},
        ),
      ),
    );
    for (const [index, outcome] of finals.entries()) {
      if (outcome.events.at(-1)?.data.status !== 'complete') {
        report.unusable++;
        report.problems.push(`thread ${index} could not complete a turn: ${JSON.stringify(outcome)}`);
      }
    }
    for (const threadId of threadIds) {
      report.abortedShown += await checkThread(server, token, threadId, accepted.get(threadId)!, report);
    }
    await killHard(server);
  } finally {
    await servers.close();
  }
  return report;
}

/**
 * Reads a thread after a restart and counts what is missing, doubled or still `streaming`.
 * Returns how many of its messages are shown `aborted`.
 */
async function checkThread(
  server: ChaosServer,
  token: string,
  threadId: string,
  accepted: string[],
  report: KillReport,
): Promise<number> {
  const view = await readThread(server.url, token, threadId);
  if (view.status >= 500) report.status5xx++;
  if (view.status !== 200) {
    report.problems.push(`GET /threads/${threadId} answered ${view.status} after a restart`);
    report.unusable++;
    return 0;
  }
  const players = view.messages.filter((message) => message.role === 'user').map((message) => message.content);
  for (const text of accepted) {
    const found = players.filter((content) => content === text).length;
    const problem = `accepted "${text}" found ${found} times on ${threadId}`;
    if (found !== 1 && !report.problems.includes(problem)) {
      report.lost++; // counted once, though every later check sees it again
      report.problems.push(problem);
    }
  }
  for (const message of view.messages) {
    if (message.status === 'streaming') {
      report.leftStreaming++;
      report.problems.push(`${message.id} on ${threadId} is still shown streaming after a restart`);
    }
  }
  return view.messages.filter((message) => message.status === 'aborted').length;
}
