let segmenter: Intl.Segmenter | undefined;

/**
 * The length of `text` as a person sees it: its grapheme clusters (`Intl.Segmenter`), so an emoji
 * counts once whether it is one code point (😀, two UTF-16 units) or several joined (👩‍👩‍👧‍👦,
 * eleven), and a letter with combining accents counts once. Config `input.maxLength` is measured in
 * these. Never more than `text.length`, so a caller may skip it for text no longer than a limit.
 */
export function graphemeLength(text: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}
