import { describe, expect, it } from 'vitest';
import type { DreamdeckError } from '../errors.js';
import type { TurnEvent } from '../types.js';
import { EventQueue } from '../workflow/turn-sink.js';
import { TurnJournal } from './turn-journal.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const delta = (text: string, messageId = 'msg_1'): TurnEvent => ({ type: 'message-delta', messageId, text });
const start: TurnEvent = { type: 'turn-start', turnId: 'turn_1', threadId: 'thr_1' };
const end: TurnEvent = { type: 'turn-end', turnId: 'turn_1', status: 'complete' };

/** Subscribes and records every batch, as `seq:type(:text)` strings, and how it ended. */
function record(journal: TurnJournal, after = 0) {
  const seen: string[] = [];
  const state: { ended: boolean; error?: DreamdeckError } = { ended: false };
  const stop = journal.subscribe(
    after,
    (events, firstSeq) =>
      events.forEach((event, index) => {
        seen.push(`${firstSeq + index}:${event.type}${event.type === 'message-delta' ? `:${event.text}` : ''}`);
      }),
    (error) => {
      state.ended = true;
      if (error) state.error = error;
    },
  );
  return { seen, state, stop };
}

describe('TurnJournal', () => {
  it('numbers events 1, 2, 3 … and joins the deltas of one message pushed in the same tick, for every reader alike', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1');
    const early = record(journal);
    journal.push(start);
    journal.push(delta('The '));
    journal.push(delta('door '));
    journal.push(delta('Elsewhere', 'msg_2'));
    journal.push(delta('creaks.', 'msg_2'));
    await tick();
    journal.push(delta('Later.', 'msg_2'));
    await tick();
    journal.push(end);
    await tick();
    const expected = [
      '1:turn-start',
      '2:message-delta:The door ',
      '3:message-delta:Elsewherecreaks.',
      '4:message-delta:Later.',
      '5:turn-end',
    ];
    expect(early.seen).toEqual(expected);
    expect(early.state).toEqual({ ended: true });
    // a late reader gets the same entries, and from the middle only those after its seq
    expect(record(journal).seen).toEqual(expected);
    expect(record(journal, 3).seen).toEqual(expected.slice(3));
    expect(record(journal, 5).state).toEqual({ ended: true });
  });

  it('a reader that asks for a seq not reached yet gets only what comes after it', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1');
    const ahead = record(journal, 3);
    journal.push(start);
    await tick();
    journal.push({ type: 'status', text: 'two' });
    await tick();
    journal.push({ type: 'status', text: 'three' });
    journal.push({ type: 'status', text: 'four' });
    await tick();
    journal.push(end);
    await tick();
    expect(ahead.seen).toEqual(['4:status', '5:turn-end']);
    expect(ahead.state).toEqual({ ended: true });
  });

  it('hands the raw queue every event as pushed, unjoined and unchanged', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1');
    const queue = new EventQueue<TurnEvent>();
    journal.attachRaw(queue);
    const first = delta('a');
    journal.push(first);
    journal.push(delta('b'));
    journal.push(end);
    queue.close();
    const raw: TurnEvent[] = [];
    for await (const event of queue) raw.push(event);
    expect(raw).toEqual([delta('a'), delta('b'), end]);
    expect(raw[0]).toBe(first);
    expect(first).toEqual(delta('a'));
    await tick();
    expect(record(journal).seen).toEqual(['1:message-delta:ab', '2:turn-end']);
  });

  it('past its cap it drops the oldest entries: a reader asking for them ends with NOT_FOUND, never wrong data', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1', { maxEntries: 10 });
    for (let index = 0; index < 25; index++) {
      journal.push({ type: 'status', text: `step ${index}` });
      await tick();
    }
    expect(journal.holds(0)).toBe(false);
    const late = record(journal, 2);
    expect(late.state.error?.code).toBe('NOT_FOUND');
    expect(late.seen).toEqual([]);
    const recent = record(journal, 20);
    expect(recent.seen).toEqual(['21:status', '22:status', '23:status', '24:status', '25:status']);
    expect(recent.state.ended).toBe(false);
  });

  it('keeps an event over maxEventBytes, or one that cannot be serialised, as an error event', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1', { maxEventBytes: 1000 });
    const queue = new EventQueue<TurnEvent>();
    journal.attachRaw(queue);
    const big: TurnEvent = { type: 'status', text: 'x'.repeat(2000) };
    const cyclic = { type: 'status', text: 'loop' } as TurnEvent & { self?: unknown };
    cyclic.self = cyclic;
    journal.push(big);
    journal.push(cyclic);
    await tick();
    const events: TurnEvent[] = [];
    journal.subscribe(
      0,
      (batch) => events.push(...batch),
      () => {},
    );
    expect(events).toEqual([
      { type: 'error', code: 'INTERNAL', message: 'An event was too large to send.', retryable: false },
      { type: 'error', code: 'INTERNAL', message: 'An event was too large to send.', retryable: false },
    ]);
    // the engine's own iterator still gets the events themselves
    queue.close();
    const raw: TurnEvent[] = [];
    for await (const event of queue) raw.push(event);
    expect(raw[0]).toBe(big);
  });

  it('stopWhenUnread: stops the turn once its last reader left and none came back within the grace', async () => {
    const stops: unknown[] = [];
    const journal = new TurnJournal('turn_1', 'thr_1');
    journal.setStopper((reason) => stops.push(reason));
    journal.push(start);
    const reader = record(journal);
    journal.stopWhenUnread(100);
    reader.stop();
    // a reader back before the grace ends: not stopped
    const again = record(journal);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stops).toEqual([]);
    again.stop();
    for (let waited = 0; stops.length === 0 && waited < 100; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stops).toHaveLength(1);
    expect((stops[0] as Error).name).toBe('AbortError');
  });

  it('stopWhenUnread(0) stops at once; a turn another instance watches is never stopped for want of readers', async () => {
    const stopped: string[] = [];
    const now = new TurnJournal('turn_a', 'thr_1');
    now.setStopper(() => stopped.push('a'));
    record(now).stop();
    now.stopWhenUnread(0);
    expect(stopped).toEqual(['a']);
    const watched = new TurnJournal('turn_b', 'thr_1');
    watched.setStopper(() => stopped.push('b'));
    watched.stopWhenUnread(10);
    watched.watch();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(stopped).toEqual(['a']);
  });

  it('close() ends readers after what was pushed, without a turn-end', async () => {
    const journal = new TurnJournal('turn_1', 'thr_1');
    const reader = record(journal);
    journal.push(start);
    journal.close();
    await tick();
    expect(reader.seen).toEqual(['1:turn-start']);
    expect(reader.state).toEqual({ ended: true });
  });
});
