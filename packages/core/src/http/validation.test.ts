import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DreamdeckError } from '../errors.js';
import { parse, parseQuery } from './validation.js';

const refusal = (run: () => unknown): DreamdeckError => {
  try {
    run();
  } catch (error) {
    if (DreamdeckError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('parse', () => {
  const body = z.strictObject({ text: z.string(), count: z.number().optional() });

  it('returns the parsed value', () => {
    expect(parse(body, { text: 'hi' })).toEqual({ text: 'hi' });
  });

  it('names each bad field, and unknown fields, as INVALID_INPUT', () => {
    const wrong = refusal(() => parse(body, { text: 5, count: 'x' }));
    expect(wrong.code).toBe('INVALID_INPUT');
    expect(wrong.message).toMatch(/^Invalid body: text: .*; count: /);
    expect(refusal(() => parse(body, { text: 'a', extra: 1 })).message).toContain('unknown field(s) extra');
    expect(refusal(() => parse(z.string(), 5, 'id')).message).toMatch(/^Invalid id: id: /);
  });

  it('keeps messages short', () => {
    const many = z.strictObject(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, z.string()])));
    expect(refusal(() => parse(many, {})).message.length).toBeLessThanOrEqual(500);
  });
});

describe('parseQuery', () => {
  const query = z.strictObject({ limit: z.coerce.number().int().optional() });

  it('reads the query string', () => {
    expect(parseQuery(query, new URL('http://x.test/threads?limit=5'))).toEqual({ limit: 5 });
  });

  it('refuses a parameter given twice and unknown parameters', () => {
    expect(refusal(() => parseQuery(query, new URL('http://x.test/?limit=1&limit=2'))).message).toContain(
      'Give the query parameter "limit" once.',
    );
    expect(refusal(() => parseQuery(query, new URL('http://x.test/?nope=1'))).message).toMatch(/^Invalid query: /);
  });
});
