/**
 * Markdown for a terminal, as it streams: `**bold**`, `*italic*`/`_italic_`, `~~struck~~` and
 * `` `code` `` become ANSI styles (or plain text when colours are off), `[text](url)` becomes
 * `text (url)`, `# headings` bold, `- items` bullets. It takes the reply a delta at a time and
 * holds back only what it cannot decide yet (a lone `*` that may be the start of `**`, a `[…]`
 * that may become a link), so the narration still appears word by word.
 *
 * Hand-written rather than `marked-terminal`, which renders a whole document at once: a streamed
 * reply would show nothing until it ended. Only the markup the GM writes is read; anything else is
 * shown as written.
 */

/** ANSI codes for each style: `[on, off]`. */
const STYLES = {
  bold: ['\x1b[1m', '\x1b[22m'],
  italic: ['\x1b[3m', '\x1b[23m'],
  strike: ['\x1b[9m', '\x1b[29m'],
  code: ['\x1b[36m', '\x1b[39m'],
} as const;

type Style = keyof typeof STYLES;

/** A streaming markdown-to-terminal renderer (see the module comment). */
export interface TerminalMarkdown {
  /** Takes the next piece of the reply; returns what can be printed now. */
  write(text: string): string;
  /** The reply ended: returns what was held back, with every open style closed. */
  end(): string;
}

/**
 * Creates a renderer for one message.
 *
 * @param options - `color: false` prints the text without markup and without escape codes
 */
export function createTerminalMarkdown(options: { color?: boolean } = {}): TerminalMarkdown {
  const color = options.color ?? true;
  const open = new Set<Style>();
  let pending = '';
  let lineStart = true;
  /** The current line is a heading (bold until its end). */
  let headingLine = false;
  /** The last character rendered, for `*`/`_` at the start of a piece. */
  let lastChar = '\n';

  const toggle = (style: Style): string => {
    const on = !open.has(style);
    if (on) open.add(style);
    else open.delete(style);
    return color ? STYLES[style][on ? 0 : 1] : '';
  };

  /** Renders `text` up to the point where the next character is needed to decide; returns [out, rest]. */
  const render = (text: string, final: boolean): [string, string] => {
    let out = '';
    let index = 0;
    while (index < text.length) {
      const rest = text.slice(index);
      // at a line's start: headings, bullets, rules (decided once the line's first marker is whole)
      if (lineStart) {
        if (!final && /^(#{1,6}|[-*+]|\s{0,3}[-*_]{0,2})$/.test(rest) && !rest.includes('\n')) break;
        const heading = /^#{1,6} /.exec(rest);
        if (heading) {
          out += toggle('bold');
          headingLine = true;
          index += heading[0].length;
          lineStart = false;
          continue;
        }
        const bullet = /^(\s*)[-*+] (?!\*)/.exec(rest);
        if (bullet) {
          out += `${bullet[1]}• `;
          index += bullet[0].length;
          lineStart = false;
          continue;
        }
        if (/^([-*_])\1{2,}\s*(\n|$)/.test(rest) && (final || rest.includes('\n'))) {
          const rule = /^([-*_])\1{2,}\s*/.exec(rest)![0];
          out += '―'.repeat(24);
          index += rule.length;
          continue;
        }
      }
      const char = text[index] as string;
      if (char === '\n') {
        // a heading ends with its line
        if (open.has('bold') && headingLine) {
          out += toggle('bold');
          headingLine = false;
        }
        out += char;
        index++;
        lineStart = true;
        continue;
      }
      lineStart = false;
      if (char === '`') {
        out += toggle('code');
        index++;
        continue;
      }
      if (open.has('code')) {
        out += char;
        index++;
        continue;
      }
      if (char === '\\' && index + 1 < text.length) {
        out += text[index + 1];
        index += 2;
        continue;
      }
      if (char === '\\' && !final) break;
      if (char === '~' || char === '*') {
        if (index + 1 >= text.length && !final) break;
        if (text[index + 1] === char) {
          out += toggle(char === '~' ? 'strike' : 'bold');
          index += 2;
          continue;
        }
        if (char === '*') {
          // `*word*`: italic when it opens before a word or closes after one
          const before = text[index - 1] ?? lastChar;
          const after = text[index + 1] ?? '';
          if (open.has('italic') ? /\S/.test(before) : /\S/.test(after)) {
            out += toggle('italic');
            index++;
            continue;
          }
        }
        out += char;
        index++;
        continue;
      }
      if (char === '_') {
        const before = text[index - 1] ?? lastChar;
        const after = text[index + 1];
        if (after === undefined && !final) break;
        // `_word_`, never inside a word (snake_case stays as written)
        if (open.has('italic') ? !/\w/.test(after ?? '') : !/\w/.test(before) && /\S/.test(after ?? '')) {
          out += toggle('italic');
          index++;
          continue;
        }
        out += char;
        index++;
        continue;
      }
      if (char === '[') {
        const link = /^\[([^\]\n]*)\]\(([^)\s]*)\)/.exec(rest);
        if (link) {
          out += `${link[1]} (${link[2]})`;
          index += link[0].length;
          continue;
        }
        // maybe a link still arriving: wait for its end (or the line's)
        if (!final && /^\[[^\]\n]*(\](\([^)\s]*)?)?$/.test(rest) && rest.length < 300) break;
      }
      out += char;
      index++;
    }
    if (index > 0) lastChar = text[index - 1] as string;
    return [out, text.slice(index)];
  };
  return {
    write(text: string): string {
      const [out, rest] = render(pending + text, false);
      pending = rest;
      return out;
    },
    end(): string {
      let [out] = render(pending, true);
      pending = '';
      for (const style of [...open]) out += toggle(style);
      headingLine = false;
      lineStart = true;
      lastChar = '\n';
      return out;
    },
  };
}
