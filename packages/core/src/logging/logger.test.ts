import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON lines at or above its level, with secrets redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.info(
      { userId: 'u1', apiKey: 'sk-123', nested: { password: 'hunter2', authorization: 'Bearer x' } },
      'hello',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 30, msg: 'hello', userId: 'u1', apiKey: '[redacted]' });
    expect(entry.nested).toEqual({ password: '[redacted]', authorization: '[redacted]' });
    expect(lines[0]).not.toContain('sk-123');
  });

  it('children add bindings and follow the parent level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    const child = logger.child({ requestId: 'r1' });
    child.info('quiet');
    logger.level = 'debug';
    child.debug('now visible');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ requestId: 'r1', msg: 'now visible', level: 20 }),
    ]);
  });

  it('serialises errors with their message', () => {
    const lines: string[] = [];
    createLogger({ write: (line) => lines.push(line) }).error({ err: new Error('kaput') }, 'failed');
    expect(JSON.parse(lines[0]!).err.message).toBe('kaput');
  });
});
