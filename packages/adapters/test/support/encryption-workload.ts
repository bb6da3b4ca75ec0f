import type { StorageAdapter } from '@dreamdeck/core';

/** Secret strings the encryption tests write and then look for in raw rows. */
export const SECRETS = {
  content: 'PLAINTEXT-MESSAGE-the-dragon-sleeps-under-the-mill',
  part: 'PLAINTEXT-PART-reason-for-the-roll',
  comment: 'PLAINTEXT-COMMENT-loved-the-twist',
  threadData: 'PLAINTEXT-THREADDATA-hidden-door',
  preference: 'PLAINTEXT-PREFERENCE-likes-riddles',
  store: 'PLAINTEXT-STORE-fears-the-sea',
  alternative: 'PLAINTEXT-ALTERNATIVE-first-draft',
} as const;

/** Writes every encrypted field through the adapter; returns the ids it used. */
export async function writeSecrets(
  storage: StorageAdapter,
  userId = 'usr_secret',
): Promise<{ threadId: string; messageId: string }> {
  const thread = await storage.createThread({ userId, persona: 'storyteller', title: 'Encrypted story' });
  const messageId = `msg_secret_${Date.now()}`;
  await storage.appendMessage({
    id: messageId,
    threadId: thread.id,
    role: 'assistant',
    kind: 'narration',
    content: SECRETS.content,
    parts: [
      {
        type: 'dice',
        roll: { notation: '1d20', rolls: [{ value: 3 }], total: 3, reason: SECRETS.part, output: '1d20: [3] = 3' },
      },
    ],
    createdAt: new Date().toISOString(),
    status: 'complete',
  });
  await storage.updateMessage(messageId, {
    alternatives: [{ content: SECRETS.alternative, createdAt: new Date().toISOString(), status: 'complete' }],
  });
  await storage.setFeedback({ messageId, threadId: thread.id, userId, value: 1, comment: SECRETS.comment });
  await storage.setThreadData(thread.id, 'clue', { text: SECRETS.threadData });
  await storage.setPreferences(userId, { note: SECRETS.preference });
  await storage.store.put(['memories', userId], 'fact', { text: SECRETS.store });
  return { threadId: thread.id, messageId };
}

/** Reads every secret back through the adapter and returns what it found. */
export async function readSecrets(
  storage: StorageAdapter,
  ids: { threadId: string; messageId: string },
  userId = 'usr_secret',
) {
  const message = await storage.getMessage(ids.messageId);
  return {
    content: message?.content,
    alternative: message?.alternatives?.[0]?.content,
    comment: (await storage.getFeedback(ids.messageId, userId))?.comment,
    threadData: ((await storage.getThreadData(ids.threadId)).clue as { text?: string } | undefined)?.text,
    preference: (await storage.getPreferences(userId)).note,
    store: (await storage.store.get(['memories', userId], 'fact'))?.value.text,
  };
}
