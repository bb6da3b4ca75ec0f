import type { KnowledgeHit, KnowledgeStorage } from '@dreamdeck/core/adapter-kit';
import { searchTerms } from '../storage-shared/search-text.js';
import type { SqliteContext } from './sqlite-runner.js';

/** Knowledge chunks on SQLite (`dd_knowledge`, searched through the FTS5 table `dd_knowledge_fts`, BM25-ranked). */
export function createSqliteKnowledge({ sql, run, withTransaction }: SqliteContext): KnowledgeStorage {
  return {
    addKnowledge: (source, chunks) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
          const insert = sql('INSERT INTO dd_knowledge (id, source, position, text) VALUES (?, ?, ?, ?)');
          chunks.forEach((text, index) => {
            insert.run(`${source}#${index}`, source, index, text);
          });
          return chunks.length;
        }),
      ),
    searchKnowledge: (query, options = {}) =>
      run(() => {
        const terms = searchTerms(query);
        if (terms.length === 0) return [];
        const rows = sql(
          `SELECT k.id, k.source, snippet(dd_knowledge_fts, 0, '', '', '…', 24) AS snippet, -bm25(dd_knowledge_fts) AS score
             FROM dd_knowledge_fts JOIN dd_knowledge k ON k.rowid = dd_knowledge_fts.rowid
             WHERE dd_knowledge_fts MATCH ? ORDER BY bm25(dd_knowledge_fts) LIMIT ?`,
        ).all(terms.map((term) => `"${term}"`).join(' OR '), Math.max(1, Math.trunc(options.limit ?? 5)));
        return rows as KnowledgeHit[];
      }),
    deleteKnowledge: (source) =>
      run(() => {
        sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
      }),
  };
}
