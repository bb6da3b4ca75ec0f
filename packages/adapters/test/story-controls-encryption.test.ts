import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { afterAll, describe, it } from 'vitest';
import { checkControlsEncrypted } from './support/story-controls-workload.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-sqlite-controls-');
afterAll(() => dir.remove());

describe('story controls on encrypted SQLite (issue 21)', () => {
  it('copies made by edit, regenerate, branch and import are encrypted in the rows', async () => {
    const storage = createSqliteStorage({
      path: join(dir.path, 'controls.db'),
      encryptionKey: 'a passphrase for controls',
    });
    await checkControlsEncrypted(
      storage,
      async (threadId) =>
        storage.database
          .prepare('SELECT content, alternatives FROM dd_messages WHERE thread_id = ? ORDER BY seq')
          .all(threadId) as Array<{ content: string; alternatives: string | null }>,
    );
  });
});
