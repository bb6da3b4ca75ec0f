import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type Dreamdeck, type StorageAdapter } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, type RequestHandler, toNodeListener } from '@dreamdeck/core/http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';

/**
 * The growth check of issue 18: each `/save` stored the whole story, earlier saves included, so
 * 19 saves made a 197 MB message and the 20th killed the server. Now 50 `/save`s and 50 exports in
 * one thread, on a real SQLite file and a real PostgreSQL schema, keep the database under a few
 * MB and every response small.
 */
const postgres = await requirePostgres();
const SAVES = 50;
const MB = 1024 * 1024;

interface Backend {
  storage: StorageAdapter;
  /** Bytes the backend holds now. */
  size(): Promise<number>;
  cleanup(): Promise<void>;
}

function describeGrowth(name: string, make: () => Backend, maxBytes: number) {
  describe(`50 /saves and exports on ${name}`, () => {
    let backend: Backend;
    let dd: Dreamdeck;
    let handler: RequestHandler;
    let server: Server;
    let base: string;
    let headers: Record<string, string>;

    beforeAll(async () => {
      backend = make();
      dd = await createDreamdeck({
        storage: backend.storage,
        model: createDemoModel({ latencyMs: 0 }),
        env: false,
        config: {
          logging: { level: 'silent' },
          features: { imageGeneration: false },
          limits: { turnsPerMinute: 100_000, apiCallsPerHour: 1_000_000 },
        },
      });
      const auth = createTokenAuth({ secret: 'growth-secret-growth-secret-growth-0123' });
      handler = createRequestHandler(dd, { authenticate: auth.authenticate, flagPollMs: 0 });
      server = createServer(toNodeListener(handler));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      headers = {
        authorization: `Bearer ${await auth.issueToken({ id: 'saver' })}`,
        'content-type': 'application/json',
      };
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await handler?.close();
      await dd?.close();
      await backend?.cleanup();
    });

    it('keeps the database under a few MB and every response bounded', async () => {
      const thread = (
        (await (await fetch(`${base}/threads`, { method: 'POST', headers, body: '{"title":"Growth"}' })).json()) as {
          thread: { id: string };
        }
      ).thread.id;
      const play = async (text: string) => {
        const response = await fetch(`${base}/threads/${thread}/turns`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ text }),
        });
        expect(response.status).toBe(200);
        const body = await response.text();
        expect(body).toMatch(/event: turn-end\ndata: \{[^\n]*"status":"complete"/);
        return Buffer.byteLength(body);
      };
      await play('I chart a course through the reef.');
      const before = await backend.size();
      const largest = { save: 0, markdown: 0, json: 0, view: 0 };
      for (let i = 0; i < SAVES; i++) {
        largest.save = Math.max(largest.save, await play('/save'));
        for (const [key, path] of [
          ['markdown', `/threads/${thread}/export`],
          ['json', `/threads/${thread}/export?format=json`],
          ['view', `/threads/${thread}`],
        ] as const) {
          const response = await fetch(`${base}${path}`, { headers });
          expect(response.status, path).toBe(200);
          largest[key] = Math.max(largest[key], (await response.arrayBuffer()).byteLength);
        }
      }
      const after = await backend.size();
      console.info(
        `[growth] ${name}: ${SAVES} saves + ${SAVES * 3} reads; database ${(before / MB).toFixed(2)} → ${(after / MB).toFixed(2)} MB; largest answers: save stream ${largest.save} B, markdown ${largest.markdown} B, JSON ${largest.json} B, thread view ${largest.view} B`,
      );
      expect(after).toBeLessThan(maxBytes);
      expect(largest.save).toBeLessThan(4 * 1024);
      // the export does not grow with the saves: it holds the one turn of story
      expect(largest.markdown).toBeLessThan(4 * 1024);
      expect(largest.json).toBeLessThan(8 * 1024);
      // the view lists the 50 short notes and 50 /save messages, nothing more
      expect(largest.view).toBeLessThan(SAVES * 2 * 1024);
      const stored = await dd.storage.listMessages(thread);
      expect(stored).toHaveLength(2 + SAVES * 2);
      expect(Math.max(...stored.map((m) => m.content.length))).toBeLessThan(2000);
    }, 180_000);
  });
}

describeGrowth(
  'SQLite',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-growth-'));
    const path = join(dir, 'growth.db');
    const storage = createSqliteStorage({ path });
    return {
      storage,
      // the pages the database holds (WAL frames included, free pages not): the write-ahead log
      // itself grows to about 4 MB before SQLite checkpoints it, whatever is written
      size: async () => {
        const pragma = (name: string) => Number(storage.database.pragma(name, { simple: true }));
        return (pragma('page_count') - pragma('freelist_count')) * pragma('page_size');
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  3 * MB,
);

describe.skipIf(!postgres)('postgres', () => {
  describeGrowth(
    'PostgreSQL',
    () => {
      const schema = uniqueSchema('dd_growth');
      const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
      const connected = client.connect();
      return {
        storage: createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
        size: async () => {
          await connected;
          const { rows } = await client.query<{ bytes: string }>(
            `SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0) AS bytes
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind = 'r'`,
            [schema],
          );
          return Number(rows[0]?.bytes ?? 0);
        },
        cleanup: async () => {
          await connected;
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await client.end();
        },
      };
    },
    3 * MB,
  );
});
