// C0 and C1 control characters except tab, newline and carriage return.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Strips control characters (keeping tabs and newlines) and makes every line break `\n`. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '').replace(/\r\n?/g, '\n');
}

/** Strips control characters (keeping tabs and newlines) and trims. */
export function cleanText(text: string): string {
  return stripControl(text).trim();
}
