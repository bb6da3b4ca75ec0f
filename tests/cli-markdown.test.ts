import { describe, expect, it } from 'vitest';
import { createTerminalMarkdown } from '../examples/cli/src/terminal-markdown.js';

/** Renders `text` fed in `pieces` (as a stream), without colour so markup is easy to see. */
function plain(pieces: string[]): string {
  const markdown = createTerminalMarkdown({ color: false });
  return pieces.map((piece) => markdown.write(piece)).join('') + markdown.end();
}

/** Splits `text` into word-sized pieces, as the demo model streams. */
const words = (text: string) => text.match(/\s*\S+/g) ?? [];

// issue 21 fix 9: the CLI showed raw `**` and `~~3~~`
describe('terminal markdown (examples/cli)', () => {
  it('drops the markup a person should not see, however the stream is cut', () => {
    const text = '🎲 **1d20** for climb: [~~3~~, 11] → **11**\n\nYou *step* in. `code` and snake_case stay.';
    const expected = '🎲 1d20 for climb: [3, 11] → 11\n\nYou step in. code and snake_case stay.';
    expect(plain([text])).toBe(expected);
    expect(plain(words(text))).toBe(expected);
    expect(plain([...text])).toBe(expected);
  });

  it('styles with ANSI codes and closes every style at the end', () => {
    const markdown = createTerminalMarkdown();
    const out = markdown.write('**bold** ~~gone~~ *it') + markdown.end();
    expect(out).toBe('\x1b[1mbold\x1b[22m \x1b[9mgone\x1b[29m \x1b[3mit\x1b[23m');
  });

  it('turns links, headings, bullets and numbered choices into terminal text', () => {
    const text = '# The Inn\n- a **table**\n1. Ask [the map](https://example.com/map)\n\nA \\*literal\\* star.';
    const expected = 'The Inn\n• a table\n1. Ask the map (https://example.com/map)\n\nA *literal* star.';
    expect(plain([text])).toBe(expected);
    expect(plain([...text])).toBe(expected);
  });

  it('streams: plain words come out at once, only an undecided marker waits', () => {
    const markdown = createTerminalMarkdown({ color: false });
    expect(markdown.write('The lantern')).toBe('The lantern');
    expect(markdown.write(' gutters *')).toBe(' gutters ');
    expect(markdown.write('*low')).toBe('low');
    expect(markdown.write('**')).toBe('');
    expect(markdown.end()).toBe('');
  });
});
