import { describe, expect, it } from 'vitest';
import { createLocalTurnGuard } from './thread-turn-guard.js';

describe('createLocalTurnGuard', () => {
  it('lets one turn claim a thread until it is released', () => {
    const guard = createLocalTurnGuard();
    expect(guard.isRunning('t_1')).toBe(false);
    expect(guard.claim('t_1')).toBe(true);
    expect(guard.isRunning('t_1')).toBe(true);
    expect(guard.claim('t_1')).toBe(false);
    expect(guard.claim('t_2')).toBe(true);
    guard.release('t_1');
    expect(guard.isRunning('t_1')).toBe(false);
    expect(guard.isRunning('t_2')).toBe(true);
    expect(guard.claim('t_1')).toBe(true);
  });
});
