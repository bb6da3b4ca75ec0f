import type { KnowledgeDocument } from '@dreamdeck/core/adapter-kit';

/** A row of `dd_knowledge_documents` as both SQL adapters read it (timestamps: ISO text on SQLite, `Date` on PostgreSQL). */
export interface DocumentRow {
  id: string;
  user_id: string | null;
  thread_id: string | null;
  title: string;
  mime_type: string;
  bytes: number;
  chunk_count: number;
  created_at: string | Date;
  updated_at: string | Date;
}

/** A document row as the engine sees it. */
export function toDocument(row: DocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    title: row.title,
    mimeType: row.mime_type,
    ...(row.user_id !== null && { userId: row.user_id }),
    ...(row.thread_id !== null && { threadId: row.thread_id }),
    chunks: row.chunk_count,
    bytes: row.bytes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
