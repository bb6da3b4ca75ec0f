import { Command, entrypoint, getConfig, interrupt, MemorySaver, task } from '@langchain/langgraph';
import { describe, expect, it, vi } from 'vitest';
import { streamRun } from './stream-run.js';

const collect = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
};

/** An entrypoint shaped like a turn: a task, then a question, then a task with the answer. */
function pausingFlow() {
  const greet = task('greet', async (name: string) => `hello ${name} on ${getConfig()?.configurable?.thread_id}`);
  return entrypoint({ name: 'pausing', checkpointer: new MemorySaver() }, async (name: string) => {
    const greeting = await greet(name);
    const answer = interrupt({ question: 'go on?' }) as string;
    return `${greeting}, ${answer}`;
  });
}

/** An entrypoint whose one task waits forever once `started` resolves. */
function waitingFlow() {
  let begin!: () => void;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const waiting = task('wait', async () => {
    begin();
    await new Promise(() => {});
  });
  return { flow: entrypoint({ name: 'waiting' }, async (_input: string) => waiting()), started };
}

const config = (threadId: string, signal?: AbortSignal) => ({
  configurable: { thread_id: threadId },
  streamMode: 'updates' as const,
  ...(signal && { signal }),
});

describe('streamRun', () => {
  it('reads the entrypoint generator without stream(), with the same updates, pause and resume', async () => {
    const flow = pausingFlow();
    const viaStream = [
      ...(await collect(await flow.stream('ada', config('a')))),
      ...(await collect(await flow.stream(new Command({ resume: 'yes' }), config('a')))),
    ];
    const stream = vi.spyOn(flow, 'stream');
    const direct = [
      ...(await collect(await streamRun(flow, 'ada', config('b')))),
      ...(await collect(await streamRun(flow, new Command({ resume: 'yes' }), config('b')))),
    ];
    expect(stream).not.toHaveBeenCalled();
    const normalise = (updates: unknown[]) =>
      JSON.parse(
        JSON.stringify(updates)
          .replace(/"id":"[^"]+"/g, '"id":"-"')
          .replaceAll('on b', 'on a'),
      );
    expect(normalise(direct)).toEqual(normalise(viaStream));
    expect(JSON.stringify(direct)).toContain('go on?');
    expect(direct.at(-1)).toEqual({ pausing: 'hello ada on b, yes' });
  });

  it('stops the run when the config signal aborts, as stream() does, even if the task ignores it', async () => {
    const stopped = async (
      read: (flow: ReturnType<typeof waitingFlow>['flow'], signal: AbortSignal) => Promise<AsyncIterable<unknown>>,
    ) => {
      const { flow, started } = waitingFlow();
      const controller = new AbortController();
      // not awaited first: stream() resolves only once the run yields its first update
      const reading = read(flow, controller.signal).then(collect);
      await started;
      controller.abort(new DOMException('stop', 'AbortError'));
      return reading.then(
        () => 'finished',
        () => 'rejected',
      );
    };
    const viaStream = await stopped((flow, signal) => flow.stream('x', config('c', signal)));
    const direct = await stopped((flow, signal) => streamRun(flow, 'x', config('d', signal)));
    // the task ignores the signal: the run still ends at once, in error, both ways
    expect(viaStream).toBe('rejected');
    expect(direct).toBe('rejected');
  });

  it('falls back to stream() when the entrypoint has no generator', async () => {
    async function* updates() {
      yield { step: 1 };
    }
    const run = { stream: vi.fn(async (_input: string, _config: object) => updates()) };
    expect(await collect(await streamRun(run, 'in', { c: 1 }))).toEqual([{ step: 1 }]);
    expect(run.stream).toHaveBeenCalledWith('in', { c: 1 });
  });
});
