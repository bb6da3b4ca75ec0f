import { describe, expect, it } from 'vitest';
import { EventQueue } from './turn-sink.js';

describe('EventQueue', () => {
  it('iterates pushed items in order, then ends when closed', async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const item of queue) seen.push(item);
    })();
    queue.push(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.push(3);
    queue.close();
    queue.push(4);
    await reading;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('subscribe hands over the buffered items at once, then each push synchronously, then ends', () => {
    const queue = new EventQueue<string>();
    queue.push('a');
    queue.push('b');
    const seen: string[] = [];
    let ended = 0;
    queue.subscribe(
      (item) => seen.push(item),
      () => ended++,
    );
    expect(seen).toEqual(['a', 'b']);
    queue.push('c');
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(ended).toBe(0);
    queue.close();
    queue.close();
    queue.push('d');
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(ended).toBe(1);
  });

  it('subscribe after part of the queue was read takes the rest; on a closed queue it ends at once', async () => {
    const queue = new EventQueue<number>();
    queue.push(1);
    queue.push(2);
    const iterator = queue[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    queue.close();
    const seen: number[] = [];
    let ended = false;
    queue.subscribe(
      (item) => seen.push(item),
      () => {
        ended = true;
      },
    );
    expect(seen).toEqual([2]);
    expect(ended).toBe(true);
  });

  it('refuses to subscribe while a read is waiting', () => {
    const queue = new EventQueue<number>();
    void queue[Symbol.asyncIterator]().next();
    expect(() =>
      queue.subscribe(
        () => {},
        () => {},
      ),
    ).toThrow(/read is still waiting/);
  });
});
