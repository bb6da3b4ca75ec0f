import type { StoryMessage } from '../types.js';

/** Renders a story as markdown: the title, then each message under who said it. */
export function exportMarkdown(title: string, messages: StoryMessage[]): string {
  const lines = [`# ${title}`, ''];
  for (const message of messages) {
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
