import { connect, type Socket } from 'node:net';
import { createDemoModel, createMemoryStorage } from '@dreamdeck/core';
import { type RunningServer, startServer } from '@dreamdeck/example-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietLogger } from './support/quiet-logger.js';

/**
 * Regression (issue 18, finding 6): the example server set no request or header timeout and no
 * connection cap, so a client trickling its body held a connection for 140 s and more. These use
 * real sockets against the real server with short limits; the test's own timeout is the only clock.
 */
let app: RunningServer;

beforeAll(async () => {
  app = await startServer({
    port: 0,
    host: '127.0.0.1',
    storage: createMemoryStorage(),
    model: { name: 'demo', model: createDemoModel({ latencyMs: 25 }) },
    logger: quietLogger,
    flagPollMs: 0,
    env: {},
    server: {
      requestTimeoutMs: 1500,
      headersTimeoutMs: 1000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 5,
      checkIntervalMs: 200,
    },
  });
});
afterAll(() => app.close());

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(app.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent once it closes the socket. */
function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(data));
  });
}

describe('example server limits', () => {
  it('cuts a slow-loris body: 408 and a closed socket, long before the body would end', async () => {
    const socket = await open();
    const ended = closed(socket);
    // a 100,000-byte body at one byte per 50 ms would take 80 minutes
    socket.write(
      `POST /api/threads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(' ');
      sent++;
    }, 50);
    const answer = await ended;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(sent).toBeLessThan(100_000);
  }, 20_000);

  it('cuts slow headers too', async () => {
    const socket = await open();
    const ended = closed(socket);
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('X-Slow: 1\r\n');
    }, 50);
    const answer = await ended;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 20_000);

  it('refuses connections over the cap, and serves again once they close', async () => {
    const held = await Promise.all(Array.from({ length: 5 }, open));
    // the server counts a connection once it accepted it: wait until it has all five
    await new Promise<void>((resolve) => {
      const check = () =>
        app.server.getConnections((_error, count) => (count >= 5 ? resolve() : setTimeout(check, 10)));
      check();
    });
    const extra = await open();
    const answer = await closed(extra);
    expect(answer).toBe('');
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => {
      const check = () =>
        app.server.getConnections((_error, count) => (count === 0 ? resolve() : setTimeout(check, 10)));
      check();
    });
    const health = await fetch(`${app.apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    // the example's own answers too, a 404 included
    for (const path of ['/', '/admin', '/nowhere']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      await response.arrayBuffer();
    }
  }, 20_000);

  it('keeps an event stream open past the request timeout (it covers receiving the request only)', async () => {
    const guest = (await (await fetch(`${app.apiUrl}/auth/guest`, { method: 'POST' })).json()) as { token: string };
    const headers = { authorization: `Bearer ${guest.token}`, 'content-type': 'application/json' };
    const thread = (await (await fetch(`${app.apiUrl}/threads`, { method: 'POST', headers, body: '{}' })).json()) as {
      thread: { id: string };
    };
    // the demo model waits 25 ms per token: the reply streams for longer than the 1.5 s request timeout
    const response = await fetch(`${app.apiUrl}/threads/${thread.thread.id}/turns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'I walk along the harbour and listen to the gulls.' }),
    });
    expect(response.status).toBe(200);
    const events = await response.text();
    expect(events).toMatch(/event: turn-end\ndata: \{[^\n]*"status":"(complete|interrupted)"/);
  }, 30_000);
});
