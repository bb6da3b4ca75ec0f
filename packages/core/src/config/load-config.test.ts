import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../errors.js';
import { loadConfig, readConfigEnv } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const failure = (run: () => unknown): DreamdeckError => {
  try {
    run();
  } catch (error) {
    if (DreamdeckError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a DreamdeckError');
};

describe('loadConfig', () => {
  it('fills every default', () => {
    const config = loadConfig({ env: false });
    expect(config.limits).toEqual({
      turnsPerMinute: 20,
      imagesPerMinute: 5,
      apiCallsPerHour: 60,
      imageConcurrency: 2,
      guestsPerHour: 1000,
      guestsPerHourPerClient: 60,
    });
    expect(config.audit).toEqual({ retentionDays: 30, refusalsPerUserPerHour: 60 });
    expect(config.input.maxLength).toBe(4000);
    expect(config.defaultPersona).toBe('storyteller');
    expect(config.features.diceRolling).toBe(true);
    expect(config.logging.level).toBe('info');
  });

  it('merges defaults < YAML file < env < code', () => {
    const path = file('a.yaml', 'limits:\n  turnsPerMinute: 7\n  imagesPerMinute: 3\nfeatures:\n  webSearch: true\n');
    const config = loadConfig({
      file: path,
      env: {
        DREAMDECK_LIMITS__IMAGES_PER_MINUTE: '4',
        DREAMDECK_FEATURES__IMAGE_GENERATION: 'false',
        DREAMDECK_MODEL: 'demo',
      },
      config: { limits: { turnsPerMinute: 9 } },
    });
    expect(config.limits.turnsPerMinute).toBe(9);
    expect(config.limits.imagesPerMinute).toBe(4);
    expect(config.features.webSearch).toBe(true);
    expect(config.features.imageGeneration).toBe(false);
    expect(config.limits.apiCallsPerHour).toBe(60);
  });

  it('reads JSON files and DREAMDECK_CONFIG', () => {
    const path = file('b.json', JSON.stringify({ input: { maxLength: 100 } }));
    expect(loadConfig({ env: { DREAMDECK_CONFIG: path } }).input.maxLength).toBe(100);
  });

  it('names every bad path at once', () => {
    const error = failure(() =>
      loadConfig({
        env: false,
        config: { limits: { turnsPerMinute: -1, imagesPerMinute: 'x' as never }, logging: { level: 'loud' as never } },
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('limits.turnsPerMinute');
    expect(error.message).toContain('limits.imagesPerMinute');
    expect(error.message).toContain('logging.level');
  });

  it('rejects unknown keys', () => {
    expect(failure(() => loadConfig({ env: false, config: { featurez: {} } as never })).message).toContain('featurez');
  });

  it('fails clearly on a missing or broken file', () => {
    expect(failure(() => loadConfig({ env: false, file: join(dir, 'nope.yaml') })).message).toContain(
      'cannot read config file',
    );
    const broken = file('c.json', '{ "limits": ');
    expect(failure(() => loadConfig({ env: false, file: broken })).code).toBe('CONFIG_INVALID');
    const list = file('d.yaml', '- 1\n- 2\n');
    expect(failure(() => loadConfig({ env: false, file: list })).message).toContain('top level must be an object');
  });

  it('names the bad env variable path', () => {
    const error = failure(() => loadConfig({ env: { DREAMDECK_LIMITS__TURNS_PER_MINUTE: 'lots' } }));
    expect(error.message).toContain('limits.turnsPerMinute');
  });
});

describe('readConfigEnv', () => {
  it('ignores variables that are not config keys', () => {
    expect(readConfigEnv({ DREAMDECK_MODEL: 'openai:gpt', DREAMDECK_DEFAULT_PERSONA: 'friend', OTHER: '1' })).toEqual({
      defaultPersona: 'friend',
    });
  });
});
