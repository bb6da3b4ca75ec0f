import { describe, expect, it } from 'vitest';
import { DreamdeckError, ERROR_CODES } from './errors.js';

describe('DreamdeckError', () => {
  it('carries code, retryable, cause and retryAfterMs', () => {
    const cause = new Error('socket closed');
    const error = new DreamdeckError('RATE_LIMITED', 'slow down', { cause, retryAfterMs: 1500 });
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.retryAfterMs).toBe(1500);
    expect(new DreamdeckError('INVALID_INPUT', 'x').retryable).toBe(false);
    expect(new DreamdeckError('INVALID_INPUT', 'x', { retryable: true }).retryable).toBe(true);
    // a thread busy with another turn frees up when that turn ends
    expect(new DreamdeckError('CONFLICT', 'x').retryable).toBe(true);
  });

  it('recognises instances across copies through its Symbol.for brand', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('dreamdeck.error')]: true, code: 'INTERNAL' });
    expect(DreamdeckError.isInstance(foreign)).toBe(true);
    expect(DreamdeckError.isInstance(new Error('x'))).toBe(false);
    expect(DreamdeckError.isInstance(null)).toBe(false);
  });

  it('wraps unknown values and passes its own through', () => {
    const own = new DreamdeckError('NOT_FOUND', 'gone');
    expect(DreamdeckError.from(own)).toBe(own);
    const wrapped = DreamdeckError.from('boom', 'STORAGE_ERROR');
    expect(wrapped.code).toBe('STORAGE_ERROR');
    expect(wrapped.message).toBe('boom');
  });

  it('lists the contract codes', () => {
    expect(ERROR_CODES).toEqual([
      'INVALID_INPUT',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'RATE_LIMITED',
      'FEATURE_DISABLED',
      'MODEL_UNAVAILABLE',
      'STORAGE_ERROR',
      'CONFIG_INVALID',
      'INTERNAL',
      'CONFLICT',
    ]);
  });
});
