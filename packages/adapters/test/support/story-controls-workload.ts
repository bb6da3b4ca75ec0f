import { createDemoModel, createDreamdeck, type StorageAdapter } from '@dreamdeck/core';
import { expect } from 'vitest';

/** A word the controls below write into every copy, then look for in raw rows. */
export const CONTROL_SECRET = 'violetlantern';

/** Raw `content` and `alternatives` column text of a thread's stored messages, in order. */
export type RawMessageColumns = (threadId: string) => Promise<Array<{ content: string; alternatives: string | null }>>;

/**
 * Plays the story controls on `storage` (encrypted): an edit, a regenerate, a branch, an import,
 * and checks that every row each one wrote is ciphertext, and that the engine reads it back.
 */
export async function checkControlsEncrypted(storage: StorageAdapter, raw: RawMessageColumns): Promise<void> {
  const dd = await createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
  });
  try {
    const session = await dd.openSession({ userId: 'enc' });
    await session.send(`I whisper ${CONTROL_SECRET}`).result;
    const [, reply] = await session.history();
    await session.edit(reply!.id, `The ${CONTROL_SECRET} glows.`);
    await session.regenerate().result;
    const branch = await session.branch(reply!.id);
    const imported = await dd.importThread('enc', await session.export('json'));
    const tavern = await dd.importThread(
      'enc',
      [
        JSON.stringify({ user_name: 'E', character_name: 'C', chat_metadata: {} }),
        JSON.stringify({
          name: 'C',
          is_user: false,
          mes: `A ${CONTROL_SECRET}.`,
          swipes: ['a', `A ${CONTROL_SECRET}.`],
          swipe_id: 1,
        }),
      ].join('\n'),
    );
    for (const threadId of [session.threadId, branch.threadId, imported.threadId, tavern.threadId]) {
      const rows = await raw(threadId);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.content.startsWith('dd:enc:v1:')).toBe(true);
        expect(row.content).not.toContain(CONTROL_SECRET);
        if (row.alternatives !== null) expect(row.alternatives).not.toContain(CONTROL_SECRET);
      }
    }
    expect((await branch.history()).map((m) => m.content).join(' ')).toContain(CONTROL_SECRET);
    expect(
      (await imported.history())
        .at(-1)
        ?.alternatives?.map((a) => a.content)
        .join(' '),
    ).toContain(CONTROL_SECRET);
    expect((await tavern.history())[0]?.content).toBe(`A ${CONTROL_SECRET}.`);
  } finally {
    await dd.close();
  }
}
