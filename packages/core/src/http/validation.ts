import type { z } from 'zod';
import { DreamdeckError } from '../errors.js';

/**
 * Validates `value` with `schema` and returns the parsed value. Failures throw `INVALID_INPUT`
 * (answered 400) naming up to five bad fields, or the unknown ones; `where` names the input in
 * the message (`body`, `query`, or a path parameter).
 */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where = 'body'): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const name = path || where;
      return issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : `${name}: ${issue.message}`;
    })
    .join('; ');
  throw new DreamdeckError('INVALID_INPUT', `Invalid ${where}: ${problems}.`.slice(0, 500));
}

// C0 control characters (NUL included) and DEL: no query parameter of this API carries them.
const QUERY_CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Validates a URL's query string with `schema` (see {@link parse}). A parameter given twice is
 * refused with `INVALID_INPUT` rather than silently taking one of the values, and so is a name or
 * value holding a control character (`%00` and the like), before any of it reaches storage.
 */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.output<T> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (QUERY_CONTROL.test(key) || QUERY_CONTROL.test(value))
      throw new DreamdeckError('INVALID_INPUT', 'Query parameters must not contain control characters.');
    if (key in query) throw new DreamdeckError('INVALID_INPUT', `Give the query parameter "${key.slice(0, 40)}" once.`);
    query[key] = value;
  }
  return parse(schema, query, 'query');
}
