import { describe, expect, it } from 'vitest';
import { DreamdeckError, ERROR_CODES } from '../errors.js';
import { describeError, errorResponse, HttpError, STATUS_BY_CODE } from './http-errors.js';

describe('describeError', () => {
  it('gives every error code a status', () => {
    for (const code of ERROR_CODES) expect(STATUS_BY_CODE[code]).toBeGreaterThanOrEqual(400);
  });

  it('answers CONFLICT (a turn already runs on the thread) 409 with its code and message', async () => {
    const response = errorResponse(new DreamdeckError('CONFLICT', 'Another turn is running in this story.'));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'CONFLICT', message: 'Another turn is running in this story.' },
    });
  });

  it('keeps an HttpError status and headers, adds Retry-After to RATE_LIMITED, and hides internals', () => {
    expect(describeError(new HttpError(405, 'INVALID_INPUT', 'Use GET here.', { allow: 'GET' }))).toEqual({
      status: 405,
      code: 'INVALID_INPUT',
      message: 'Use GET here.',
      headers: { allow: 'GET' },
    });
    const limited = describeError(new DreamdeckError('RATE_LIMITED', 'Slow down.', { retryAfterMs: 2500 }));
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '3' } });
    const internal = describeError(new Error('secret stack detail'));
    expect(internal.status).toBe(500);
    expect(internal.message).not.toContain('secret');
  });
});
