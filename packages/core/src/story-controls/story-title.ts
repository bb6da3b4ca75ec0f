import { task } from '@langchain/langgraph';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { TurnContext } from '../workflow/turn-context.js';

/** The title every storage adapter gives a thread created without one. */
export const DEFAULT_TITLE = 'New story';

/** The longest title the engine derives (a rename may be longer: up to 200 characters). */
const MAX_TITLE = 60;

/** A word a name starts with: capitalised, not a common sentence opener. */
const NAME = /\b([A-Z][\p{L}'’-]{2,}(?:\s+(?:of|the|de|von)?\s*[A-Z][\p{L}'’-]{2,}){0,2})/gu;

/** Capitalised words that open sentences rather than name things. */
const OPENERS = new Set(
  'The This That These Those There Then When While What Where Who Why How You Your Yours Its His Her Their They She He Someone Something Somewhere Nothing Everything Each Every Above Below Behind Before After Across Around Beyond Inside Outside Over Under Through With Without From Into Onto Upon And But For Not Now Here Still Just Only Even Yet Soon Once Perhaps Maybe Suddenly Slowly Meanwhile Welcome Choose Option Head Take Stop Ask Look Listen Follow Roll'.split(
    ' ',
  ),
);

/**
 * A title for a story from its first GM reply: the first **bold** name in it (the demo model bolds
 * the town the story opens in; models tend to bold names), else the first capitalised name that is
 * not a sentence opener, else the reply's first words. Markdown is stripped; at most 60 characters.
 * Returns undefined for text with nothing to name it by.
 */
export function storyTitleFrom(text: string): string | undefined {
  const bold = /\*\*([^*\n]{2,60})\*\*/.exec(text)?.[1]?.trim();
  if (bold && /\p{L}/u.test(bold)) return clip(bold);
  const plain = text.replace(/[*_`#>~[\]()]/g, ' ');
  for (const match of plain.matchAll(NAME)) {
    const words = (match[1] as string).split(/\s+/);
    if (!OPENERS.has(words[0] as string)) return clip(match[1] as string);
  }
  const words = plain.split(/\s+/).filter(Boolean).slice(0, 6).join(' ');
  return words ? clip(words.replace(/[.,;:!?]+$/, '')) : undefined;
}

function clip(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  return clean.length <= MAX_TITLE ? clean : `${clean.slice(0, MAX_TITLE - 1).trimEnd()}…`;
}

/**
 * Names a thread that still has its default title after the story's first GM reply: looks for the
 * first complete narration among `messageIds` and renames the thread by {@link storyTitleFrom}.
 * A thread the player named meanwhile keeps its name. Resolves the title given, if any.
 */
export async function nameStory(
  storage: StorageAdapter,
  threadId: string,
  messageIds: readonly string[],
): Promise<string | undefined> {
  for (const id of messageIds) {
    const message = await storage.getMessage(id);
    if (message?.kind !== 'narration' || message.status !== 'complete') continue;
    const title = storyTitleFrom(message.content);
    if (!title) return undefined;
    const thread = await storage.getThread(threadId);
    if (!thread || thread.title !== DEFAULT_TITLE) return undefined;
    await storage.updateThread(threadId, { title });
    return title;
  }
  return undefined;
}

/** The `name-story` task: {@link nameStory} within a turn (so a resumed turn does not name twice). */
export function createNameStoryTask(context: TurnContext) {
  return task('name-story', (request: { threadId: string; messageIds: string[] }) =>
    nameStory(context.storage, request.threadId, request.messageIds),
  );
}
