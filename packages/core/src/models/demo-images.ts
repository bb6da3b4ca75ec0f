import type { ImageAdapter, ImageRequest, ImageResult } from './model-adapter.js';
import { hashString, pick, seededRandom } from './seeded-random.js';

const PALETTES = [
  ['#1d2b53', '#7e2553', '#ff77a8', '#ffccaa'],
  ['#0b3d2e', '#2e6f40', '#c7d36f', '#f4f1bb'],
  ['#2b1b17', '#6b3e26', '#d9a05b', '#f6e3c5'],
  ['#10162f', '#3b4a7a', '#8fb3de', '#e4ecf7'],
];

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );

/** Wraps text into lines of at most `width` characters. */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > width) {
      lines.push(line.trim());
      line = word;
    } else line += ` ${word}`;
    if (lines.length === maxLines) break;
  }
  if (lines.length < maxLines && line.trim()) lines.push(line.trim());
  return lines;
}

/** Draws a scene card as SVG: sky, hills, a moon and the prompt as a caption. */
export function drawSceneCard(request: ImageRequest): string {
  const width = request.width ?? 512;
  const height = request.height ?? 512;
  const random = seededRandom(request.seed ?? hashString(request.prompt));
  const [deep, mid, light, pale] = pick(random, PALETTES) as [string, string, string, string];
  const hills = Array.from({ length: 3 }, (_, i) => {
    const base = height * (0.55 + i * 0.1);
    const points = Array.from(
      { length: 7 },
      (_, j) => `${(width / 6) * j},${Math.round(base - random() * height * 0.12)}`,
    );
    return `<polygon points="0,${height} ${points.join(' ')} ${width},${height}" fill="${[mid, light, deep][i]}" opacity="${0.6 + i * 0.2}"/>`;
  }).join('');
  const caption = wrap(request.prompt.replace(/^Storybook illustration, painterly:\s*/i, ''), 40, 3)
    .map(
      (line, i) => `<text x="${width / 2}" y="${height - 62 + i * 20}" text-anchor="middle">${escapeXml(line)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${deep}"/><stop offset="1" stop-color="${pale}"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>` +
    `<circle cx="${Math.round(width * (0.2 + random() * 0.6))}" cy="${Math.round(height * 0.22)}" r="${Math.round(width * 0.07)}" fill="${pale}" opacity="0.9"/>` +
    hills +
    `<rect x="0" y="${height - 90}" width="${width}" height="90" fill="#000" opacity="0.45"/>` +
    `<g fill="#fff" font-family="Georgia, serif" font-size="16">${caption}</g>` +
    '</svg>'
  );
}

/**
 * An offline {@link ImageAdapter} for the demo: draws an SVG scene card from the prompt
 * (deterministic per prompt). Honestly a placeholder, not a painting.
 */
export function createDemoImages(options: { latencyMs?: number } = {}): ImageAdapter {
  return {
    name: 'demo-images',
    async generate(request: ImageRequest): Promise<ImageResult> {
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      request.signal?.throwIfAborted();
      return { data: new TextEncoder().encode(drawSceneCard(request)), mimeType: 'image/svg+xml' };
    },
  };
}
