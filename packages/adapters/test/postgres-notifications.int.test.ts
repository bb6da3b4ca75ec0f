import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import type { TurnEvent } from '@dreamdeck/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { dropSchema } from './support/postgres-inspector.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
const opened: PostgresStorage[] = [];
afterAll(async () => {
  await Promise.all(opened.map((storage) => storage.close()));
  if (postgres) for (const name of schemas) await dropSchema(POSTGRES_TEST_URL, name);
});

function storageOn(
  schema: string,
  options: { url?: string; encryptionKey?: string; onError?: (e: Error) => void } = {},
) {
  if (!schemas.includes(schema)) schemas.push(schema);
  const storage = createPostgresStorage({
    connectionString: options.url ?? POSTGRES_TEST_URL,
    schema,
    ...(options.encryptionKey && { encryptionKey: options.encryptionKey }),
    ...(options.onError && { onConnectionError: options.onError }),
  });
  opened.push(storage);
  return storage;
}

async function eventually(probe: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition did not hold within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!postgres)('postgres: notifications between instances', () => {
  it('two instances on one schema hear each other; an instance on another schema of the same database does not', async () => {
    const schema = uniqueSchema();
    const a = storageOn(schema);
    const b = storageOn(schema);
    const elsewhere = storageOn(uniqueSchema());
    await Promise.all([a.init(), b.init(), elsewhere.init()]);
    const onB: string[] = [];
    const onElsewhere: string[] = [];
    await b.subscribe('dreamdeck:flags', (payload) => onB.push(payload));
    await elsewhere.subscribe('dreamdeck:flags', (payload) => onElsewhere.push(payload));
    await a.publish('dreamdeck:flags', '{"name":"webSearch"}');
    await elsewhere.publish('dreamdeck:flags', 'marker');
    await eventually(() => onB.length === 1 && onElsewhere.length === 1);
    expect(onB).toEqual(['{"name":"webSearch"}']);
    expect(onElsewhere).toEqual(['marker']);
  });

  it('the listening connection comes back on its own after it is killed, and listens to every channel again', async () => {
    const app = `dd_listen_${process.pid}`;
    const url = new URL(POSTGRES_TEST_URL);
    url.searchParams.set('application_name', app);
    const errors: Error[] = [];
    const schema = uniqueSchema();
    const listener = storageOn(schema, { url: url.toString(), onError: (error) => errors.push(error) });
    const sender = storageOn(schema);
    await Promise.all([listener.init(), sender.init()]);
    const heard: string[] = [];
    await listener.subscribe('one', (payload) => heard.push(`one:${payload}`));
    await listener.subscribe('two', (payload) => heard.push(`two:${payload}`));
    await sender.publish('one', 'before');
    await eventually(() => heard.includes('one:before'));

    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
        [app],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // until it is back, what is sent is missed (best effort): send until both channels are heard
    let round = 0;
    await eventually(async () => {
      round++;
      await sender.publish('one', `after-${round}`);
      await sender.publish('two', `after-${round}`);
      return heard.some((line) => line.startsWith('one:after')) && heard.some((line) => line.startsWith('two:after'));
    });
    expect(errors.length).toBeGreaterThan(0);
  });

  it('with encryptionKey, stored turn events hold no plaintext and read back whole', async () => {
    const schema = uniqueSchema();
    const storage = storageOn(schema, { encryptionKey: 'a passphrase for the turn log' });
    await storage.init();
    const events: TurnEvent[] = [
      { type: 'turn-start', turnId: 'turn_enc', threadId: 'thr_enc' },
      { type: 'message-delta', messageId: 'msg_enc', text: 'The secret word is plover.' },
    ];
    await storage.appendTurnEvents('turn_enc', 'thr_enc', [
      { seq: 1, event: events[0]! },
      { seq: 2, event: events[1]! },
    ]);
    const { rows } = await storage.pool.query(`SELECT events FROM "${schema}".dd_turn_events`);
    expect(rows).toHaveLength(1);
    expect(rows[0].events).not.toContain('plover');
    expect(rows[0].events).toMatch(/^dd:enc:v1:/);
    expect((await storage.readTurnEvents('turn_enc', 0))?.entries.map((entry) => entry.event)).toEqual(events);
  });
});
