import type { MessageAlternative, StoryMessage } from '../types.js';

/**
 * Every version of a reply in order: its `alternatives` with the shown version inserted at
 * `alternativeIndex` (absent: last). A reply never regenerated has one version.
 */
export function versionsOf(message: StoryMessage): MessageAlternative[] {
  const versions = [...(message.alternatives ?? [])];
  const shown: MessageAlternative = {
    content: message.content,
    createdAt: message.createdAt,
    status: message.status,
    ...(message.parts && { parts: message.parts }),
  };
  versions.splice(Math.min(message.alternativeIndex ?? versions.length, versions.length), 0, shown);
  return versions;
}
