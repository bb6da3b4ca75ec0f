/**
 * The knowledge base (issue 20): ingestion, retrieval latency and quality, and what it adds to a
 * turn, on SQLite and PostgreSQL.
 *
 * - Ingest: a generated 300-page PDF (pdf-lib) and 1,000 markdown files through `dd.knowledge.add`
 *   (type check, text extraction, splitting, storing): pages/s, files/s, chunks/s; peak RSS.
 * - Retrieval p50/p99 of `dd.knowledge.search` at 10k and 100k stored chunks, full text and hybrid
 *   (full text fused with exact-cosine vectors by reciprocal rank).
 * - hit@5 on 30 labelled questions over the ingested corpus: full text, vectors alone, hybrid.
 *   Vectors come from `createHashEmbeddings` (deterministic hashed bags of words with a small
 *   synonym table), so the vector and hybrid figures show the mechanics, not a real model's quality.
 * - Prompt assembly: the mean time `session.context()` takes with the knowledge section filled
 *   minus with `knowledge` off (the knowledge retrieval a turn adds), in a new story (the query is
 *   the player's words) and in a story with two messages in its window (the query adds them).
 * - The first hybrid search after an ingest, apart: it reads the stored vectors into memory.
 *
 * Sizes: KNOWLEDGE_SIZES (default "10000,100000") for SQLite, KNOWLEDGE_PG_SIZES (default "10000")
 * for PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; skipped when
 * unreachable), KNOWLEDGE_PDF_PAGES (300), KNOWLEDGE_MD_FILES (1000), KNOWLEDGE_QUERIES (200 per
 * measurement), KNOWLEDGE_BACKENDS (default "sqlite,postgres": run only these). Prints figures;
 * asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDreamdeck, type StorageAdapter, type StoryMessage } from '@dreamdeck/core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createHashEmbeddings } from '../packages/core/src/testing/hash-embeddings.js';
import { percentile, printTable } from './stats.js';

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sizes = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const SQLITE_SIZES = sizes(process.env.KNOWLEDGE_SIZES, '10000,100000');
const PG_SIZES = sizes(process.env.KNOWLEDGE_PG_SIZES, '10000');
const PDF_PAGES = Number(process.env.KNOWLEDGE_PDF_PAGES ?? 300);
const MD_FILES = Number(process.env.KNOWLEDGE_MD_FILES ?? 1000);
const QUERIES = Number(process.env.KNOWLEDGE_QUERIES ?? 200);
const BACKENDS = (process.env.KNOWLEDGE_BACKENDS ?? 'sqlite,postgres').toLowerCase().split(',');

const SYNONYMS = [
  ['harbour', 'port', 'docks'],
  ['master', 'ruler', 'rules', 'governs', 'lord'],
  ['sells', 'trades', 'merchant', 'market'],
  ['guards', 'protects', 'watches', 'defends'],
  ['forged', 'made', 'crafted', 'smith'],
  ['sleeps', 'rests', 'lies'],
];
const embeddings = createHashEmbeddings({ dimensions: 256, synonyms: SYNONYMS });

// ---- a generated world: every fact names a unique place and person -----------------------------
const SYLLABLES = ['vel', 'mor', 'ash', 'kel', 'dun', 'bra', 'tor', 'lin', 'quo', 'zen', 'rik', 'oma', 'sul', 'fen'];
function nameOf(index: number, salt: number): string {
  let n = index * 7919 + salt * 104729;
  let name = '';
  for (let part = 0; part < 3; part++) {
    name += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length) + part * 31;
  }
  return name.charAt(0).toUpperCase() + name.slice(1) + String(index);
}
const FILLER = [
  'The roads are muddy in spring and the inns are full of travelling players.',
  'Old songs tell of a flood that drowned the lower town three generations ago.',
  'Most houses are built of grey stone and roofed with slate from the hills.',
  'Children play a game with painted pebbles that no outsider understands.',
  'The bells of the chapel ring at dawn, at noon and at the fall of night.',
];
const filler = (seed: number, count: number) =>
  Array.from({ length: count }, (_, i) => FILLER[(seed + i) % FILLER.length]).join(' ');

/** A fact of place `i`: the text, a question asked in the same words, and one asked in other words. */
function fact(i: number) {
  const place = nameOf(i, 1);
  const person = nameOf(i, 2);
  const kind = i % 4;
  if (kind === 0)
    return {
      text: `The harbour master of ${place} is ${person}.`,
      answer: person,
      question: `Who is the harbour master of ${place}?`,
      paraphrase: `Who rules the port at ${place}?`,
    };
  if (kind === 1)
    return {
      text: `In ${place} the merchant ${person} sells amber and dried fish.`,
      answer: person,
      question: `Which merchant sells amber in ${place}?`,
      paraphrase: `Who trades at the market of ${place}?`,
    };
  if (kind === 2)
    return {
      text: `An old knight named ${person} guards the bridge of ${place}.`,
      answer: person,
      question: `Who guards the bridge of ${place}?`,
      paraphrase: `Who defends the crossing at ${place}?`,
    };
  return {
    text: `The sword of ${place} was forged by ${person} in the winter of the long frost.`,
    answer: person,
    question: `Who forged the sword of ${place}?`,
    paraphrase: `Which smith made the blade of ${place}?`,
  };
}

function markdownFile(i: number): string {
  return `# ${nameOf(i, 1)}\n\n## People\n\n${filler(i, 3)} ${fact(i).text} ${filler(i + 1, 2)}\n\n## Customs\n\n${filler(i + 2, 6)}\n\n## History\n\n${filler(i + 3, 6)}\n`;
}

const PDF_OFFSET = 5000;
async function bigPdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let page = 0; page < pages; page++) {
    const p = document.addPage([595, 842]);
    const lines =
      `${filler(page, 4)} ${fact(PDF_OFFSET + page).text} ${filler(page + 2, 4)}`.match(/.{1,90}(\s|$)/g) ?? [];
    lines.forEach((line, index) => {
      p.drawText(line.trim(), { x: 40, y: 800 - index * 14, size: 10, font });
    });
  }
  return document.save();
}

// ---- helpers ------------------------------------------------------------------------------------
const silent = {
  logging: { level: 'silent' as const },
  limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
};
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);

function trackPeak() {
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  }, 20);
  return () => {
    clearInterval(timer);
    return { rssMb: Math.round(rss / 2 ** 20), heapMb: Math.round(heap / 2 ** 20) };
  };
}

async function timeEach(queries: string[], run: (query: string) => Promise<unknown>) {
  const times: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await run(query);
    times.push(performance.now() - start);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

interface Backend {
  name: string;
  create: () => Promise<StorageAdapter>;
  destroy: () => Promise<void>;
  sizes: number[];
}

const ingestRows: Array<Array<string | number>> = [];
const latencyRows: Array<Array<string | number>> = [];
const qualityRows: Array<Array<string | number>> = [];
const promptRows: Array<Array<string | number>> = [];

async function runBackend(backend: Backend): Promise<void> {
  const storage = await backend.create();
  const dd = await createDreamdeck({ storage, embeddings, env: false, config: silent });
  const ddText = await createDreamdeck({ storage, env: false, config: silent });
  try {
    // ingest: markdown files, then the PDF, as global documents
    const stop = trackPeak();
    let start = performance.now();
    let chunks = 0;
    for (let i = 0; i < MD_FILES; i++) {
      chunks += (await dd.knowledge.add({ title: `place-${i}.md`, data: markdownFile(i), mimeType: 'text/markdown' }))
        .chunks;
    }
    let seconds = (performance.now() - start) / 1000;
    ingestRows.push([
      backend.name,
      `${MD_FILES} markdown files`,
      `${(MD_FILES / seconds).toFixed(0)} files/s`,
      (chunks / seconds).toFixed(0),
      chunks,
      '',
    ]);
    const pdf = await bigPdf(PDF_PAGES);
    start = performance.now();
    const added = await dd.knowledge.add({ title: 'Gazetteer.pdf', data: pdf, mimeType: 'application/pdf' });
    seconds = (performance.now() - start) / 1000;
    const peak = stop();
    ingestRows.push([
      backend.name,
      `${PDF_PAGES}-page PDF (${(pdf.byteLength / 2 ** 20).toFixed(1)} MB)`,
      `${(PDF_PAGES / seconds).toFixed(0)} pages/s`,
      (added.chunks / seconds).toFixed(0),
      added.chunks,
      `${peak.rssMb} MB RSS / ${peak.heapMb} MB heap`,
    ]);

    // quality: 15 questions in the documents' words, 15 in other words (synonyms)
    const labelled = Array.from({ length: 30 }, (_, n) => {
      const index = n < 20 ? (n * 37) % MD_FILES : PDF_OFFSET + ((n * 13) % PDF_PAGES);
      const f = fact(index);
      return { question: n % 2 === 0 ? f.question : f.paraphrase, answer: f.answer };
    });
    const reader = { userId: 'bench-reader', limit: 5 };
    const hit = (passages: Array<{ text: string }>, answer: string) => passages.some((p) => p.text.includes(answer));
    let text = 0;
    let vector = 0;
    let hybrid = 0;
    for (const { question, answer } of labelled) {
      if (hit(await ddText.knowledge.search(question, reader), answer)) text++;
      if (hit(await dd.knowledge.search(question, reader), answer)) hybrid++;
      const vectors = await storage.searchKnowledgeVectors!(await embeddings.embedQuery(question), reader);
      if (hit(vectors, answer)) vector++;
    }
    qualityRows.push([backend.name, `${text}/30`, `${vector}/30`, `${hybrid}/30`]);

    // latency at each size: filler documents of 1,000 chunks each (with vectors) up to the size
    const questions = Array.from({ length: QUERIES }, (_, n) => {
      const f = fact((n * 53) % MD_FILES);
      return n % 2 ? f.question : f.paraphrase;
    });
    let stored = chunks + added.chunks;
    let batch = 0;
    for (const size of backend.sizes) {
      while (stored < size) {
        const count = Math.min(1000, size - stored);
        const texts = Array.from(
          { length: count },
          (_, i) => `${filler(batch + i, 5)} ${fact(20_000 + batch * 1000 + i).text}`,
        );
        const vectors = await embeddings.embedDocuments(texts);
        await storage.putKnowledgeDocument!(
          { id: `kdoc_bench_${batch}`, title: `Filler ${batch}`, mimeType: 'text/plain', bytes: 0 },
          texts.map((t, i) => ({ text: t, vector: vectors[i]! })),
        );
        stored += count;
        batch++;
      }
      const fullText = await timeEach(questions, (q) => ddText.knowledge.search(q, reader));
      // the first vector search after the ingest reads the new vectors into memory
      let first = performance.now();
      await dd.knowledge.search(questions[0] as string, reader);
      first = performance.now() - first;
      const fused = await timeEach(questions, (q) => dd.knowledge.search(q, reader));
      latencyRows.push([
        backend.name,
        size,
        ms(fullText.p50),
        ms(fullText.p99),
        ms(fused.p50),
        ms(fused.p99),
        ms(first),
      ]);
    }

    // prompt assembly: session.context() with the knowledge section, minus with knowledge off
    const session = await ddText.openSession({ userId: 'bench-reader' });
    const measure = async () => {
      for (let i = 0; i < 5; i++) await session.context(questions[i]);
      const start = performance.now();
      for (let i = 0; i < 50; i++) await session.context(questions[i % questions.length]);
      return (performance.now() - start) / 50;
    };
    const withKnowledge = await measure();
    await ddText.flags.set('knowledge', false);
    const without = await measure();
    await ddText.flags.set('knowledge', null);
    promptRows.push([backend.name, stored, 'new story', ms(without), ms(withKnowledge), ms(withKnowledge - without)]);
    // a story with a GM reply and a player message in its window: the query adds their words
    const said = (role: 'user' | 'assistant', content: string, n: number): StoryMessage => ({
      id: `msg_bench_${n}`,
      threadId: session.threadId,
      role,
      kind: role === 'user' ? 'player' : 'narration',
      content,
      createdAt: new Date(Date.now() + n).toISOString(),
      status: 'complete',
    });
    await storage.appendMessages([
      said('assistant', `${filler(7, 3)} ${fact(11).text} The ferry waits by the north gate.`, 1),
      said('user', `I ask the innkeeper about ${nameOf(12, 1)} and the old songs.`, 2),
    ]);
    const withRecent = await measure();
    await ddText.flags.set('knowledge', false);
    const withoutRecent = await measure();
    await ddText.flags.set('knowledge', null);
    promptRows.push([
      backend.name,
      stored,
      'two messages in the window',
      ms(withoutRecent),
      ms(withRecent),
      ms(withRecent - withoutRecent),
    ]);
  } finally {
    await ddText.close().catch(() => {});
    await dd.close().catch(() => {});
    await backend.destroy();
  }
}

const backends: Backend[] = [];
if (BACKENDS.includes('sqlite')) {
  const dir = mkdtempSync(join(tmpdir(), 'dd-knowledge-bench-'));
  backends.push({
    name: 'SQLite',
    create: async () => createSqliteStorage({ path: join(dir, 'knowledge.db') }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
    sizes: SQLITE_SIZES,
  });
}
const schema = `dd_kbench_${process.pid}`;
if (BACKENDS.includes('postgres'))
  try {
    const probe = createPostgresStorage({ connectionString: POSTGRES_URL, schema });
    await probe.init();
    await probe.close();
    backends.push({
      name: 'PostgreSQL',
      create: async () => createPostgresStorage({ connectionString: POSTGRES_URL, schema }),
      destroy: async () => {
        const cleanup = createPostgresStorage({ connectionString: POSTGRES_URL, schema });
        await cleanup.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await cleanup.close();
      },
      sizes: PG_SIZES,
    });
  } catch (error) {
    console.warn(`PostgreSQL not reachable at ${POSTGRES_URL}: skipped (${(error as Error).message})`);
  }

for (const backend of backends) await runBackend(backend);

console.log('\n## Ingest (dd.knowledge.add: type check, text extraction, splitting, embedding, storing)\n');
printTable(['backend', 'input', 'rate', 'chunks/s', 'chunks', 'peak memory (whole ingest)'], ingestRows);
console.log('\n## Retrieval latency, ms (dd.knowledge.search, limit 5; hybrid embeds the query too)\n');
printTable(
  ['backend', 'chunks stored', 'full text p50', 'full text p99', 'hybrid p50', 'hybrid p99', 'first hybrid search'],
  latencyRows,
);
console.log('\n## hit@5 on 30 labelled questions (15 in the documents’ words, 15 paraphrased)\n');
console.log('Vectors: deterministic hash embeddings with a synonym table (mechanics, not model quality).\n');
printTable(['backend', 'full text', 'vectors', 'hybrid (RRF)'], qualityRows);
console.log('\n## Prompt assembly per turn, ms (session.context(), mean of 50)\n');
printTable(['backend', 'chunks stored', 'story', 'knowledge off', 'knowledge on', 'added'], promptRows);
