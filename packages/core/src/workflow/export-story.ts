import type { StoryMessage, ThreadRecord } from '../types.js';

/**
 * The most characters of one message's content that an export or a thread view carries (100,000:
 * far above any reply a model writes or `input.maxLength` allows). Longer content (a story
 * exported into a message by versions before issue 18 was fixed) is cut, with a note saying how
 * much was left out, so one old message cannot make a response unbounded.
 */
export const MAX_MESSAGE_CHARS = 100_000;

/** `/save` (with or without arguments, any case), as the router reads it. */
const SAVE_COMMAND = /^\/save\b/i;

/** The ids of the turns in which the player typed `/save`. */
function saveTurns(messages: readonly StoryMessage[]): Set<string> {
  const turns = new Set<string>();
  for (const message of messages) {
    if (message.role === 'user' && message.turnId && SAVE_COMMAND.test(message.content)) turns.add(message.turnId);
  }
  return turns;
}

/**
 * `message` with its content cut to {@link MAX_MESSAGE_CHARS} (and a note of how much was left
 * out); the message itself when it is short enough.
 */
export function boundedMessage<M extends StoryMessage>(message: M): M {
  if (message.content.length <= MAX_MESSAGE_CHARS) return message;
  const left = message.content.length - MAX_MESSAGE_CHARS;
  return {
    ...message,
    content: `${message.content.slice(0, MAX_MESSAGE_CHARS)}\n\n… [${left.toLocaleString('en')} more characters not shown]`,
  };
}

/**
 * The messages an export holds: the story without its `/save` turns (the player's `/save` and the
 * reply to it, including whole stories that versions before issue 18 was fixed stored as that
 * reply), so an export never contains an earlier export, each message cut to
 * {@link MAX_MESSAGE_CHARS}.
 */
export function storyForExport(messages: readonly StoryMessage[]): StoryMessage[] {
  const saves = saveTurns(messages);
  return messages.filter((message) => !(message.turnId && saves.has(message.turnId))).map(boundedMessage);
}

/** Renders a story as markdown: the title, then each message under who said it ({@link storyForExport}'s messages). */
export function exportMarkdown(title: string, messages: readonly StoryMessage[]): string {
  const lines = [`# ${title}`, ''];
  for (const message of storyForExport(messages)) {
    if (message.parts?.some((part) => part.type === 'reset')) {
      lines.push('---', '');
      continue;
    }
    const who =
      message.role === 'user'
        ? '**You**'
        : message.kind === 'narration'
          ? `**${message.persona ?? 'GM'}**`
          : `*${message.kind}*`;
    const images = (message.parts ?? []).flatMap((part) =>
      part.type === 'image' && !part.image.url.startsWith('data:')
        ? [`![${part.image.prompt}](${part.image.url})`]
        : part.type === 'image'
          ? [`*[image: ${part.image.prompt}]*`]
          : [],
    );
    lines.push(`${who}: ${message.content}`, ...images, '');
  }
  return lines.join('\n');
}

/**
 * A story export: markdown ({@link exportMarkdown}) or JSON (`{ thread, messages }`, pretty-printed),
 * both over {@link storyForExport}'s messages, so an export never holds an earlier one and its size
 * follows the story, not the number of `/save`s.
 */
export function exportStory(thread: ThreadRecord, messages: readonly StoryMessage[], format: 'markdown' | 'json') {
  return format === 'json'
    ? JSON.stringify({ thread, messages: storyForExport(messages) }, null, 2)
    : exportMarkdown(thread.title, messages);
}
