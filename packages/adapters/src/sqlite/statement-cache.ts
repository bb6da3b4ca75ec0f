import type { Database, Statement } from 'better-sqlite3';

/** Prepares each SQL text once per database handle; better-sqlite3 statements are reusable. */
export function statementCache(db: Database): (text: string) => Statement<unknown[]> {
  const cache = new Map<string, Statement<unknown[]>>();
  return (text) => {
    let statement = cache.get(text);
    if (!statement) {
      statement = db.prepare(text);
      cache.set(text, statement);
    }
    return statement;
  };
}
