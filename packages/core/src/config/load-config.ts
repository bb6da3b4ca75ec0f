import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DreamdeckError } from '../errors.js';
import { configSchema, type DreamdeckConfig, type DreamdeckConfigInput } from './config-schema.js';

/** Where configuration comes from; later sources win. */
export interface ConfigSources {
  /** A JSON or YAML file. Defaults to `DREAMDECK_CONFIG` when set. */
  file?: string;
  /** Environment to read `DREAMDECK_*` keys from (default `process.env`); `false` to ignore env. */
  env?: Record<string, string | undefined> | false;
  /** Values given in code; they win over everything. */
  config?: DreamdeckConfigInput;
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep-merges plain objects; arrays and scalars from `over` replace those in `base`. */
export function mergeConfig(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isPlain(value) && isPlain(out[key]) ? mergeConfig(out[key] as Plain, value) : value;
  }
  return out;
}

/** Reads a JSON or YAML config file. Fails with `CONFIG_INVALID` naming the file. */
export function readConfigFile(path: string): Plain {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] cannot read config file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    const data: unknown = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
    if (data == null) return {};
    if (!isPlain(data)) throw new Error('the top level must be an object');
    return data;
  } catch (error) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] config file ${path} is not valid: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

const camel = (segment: string) => segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function parseEnvValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (/^(true|false|null|-?\d+(\.\d+)?)$/.test(trimmed) || /^[[{"]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Reads `DREAMDECK_*` variables into a config object. Path segments are separated by a double
 * underscore and written in SCREAMING_SNAKE case: `DREAMDECK_LIMITS__TURNS_PER_MINUTE=30`,
 * `DREAMDECK_FEATURES__IMAGE_GENERATION=false`, `DREAMDECK_DEFAULT_PERSONA=friend`. Variables whose first
 * segment is not a config key (such as `DREAMDECK_MODEL`) are left to other readers.
 */
export function readConfigEnv(env: Record<string, string | undefined>): Plain {
  const out: Plain = {};
  const topKeys = new Set(Object.keys(configSchema.shape));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('DREAMDECK_') || raw === undefined) continue;
    const path = name.slice('DREAMDECK_'.length).split('__').map(camel);
    if (!path[0] || !topKeys.has(path[0])) continue;
    let node = out;
    path.forEach((segment, index) => {
      if (index === path.length - 1) node[segment] = parseEnvValue(raw);
      else {
        if (!isPlain(node[segment])) node[segment] = {};
        node = node[segment] as Plain;
      }
    });
  }
  return out;
}

/** Formats every zod issue as `path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * Builds the configuration: defaults < file < `DREAMDECK_*` env < code. Throws `CONFIG_INVALID`
 * naming every bad path when the merged result does not validate.
 */
export function loadConfig(sources: ConfigSources = {}): DreamdeckConfig {
  const env = sources.env === false ? {} : (sources.env ?? process.env);
  const file = sources.file ?? env.DREAMDECK_CONFIG;
  let merged: Plain = {};
  if (file) merged = mergeConfig(merged, readConfigFile(file));
  merged = mergeConfig(merged, readConfigEnv(env));
  if (sources.config) merged = mergeConfig(merged, sources.config as Plain);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const paths = describeIssues(parsed.error);
    throw new DreamdeckError('CONFIG_INVALID', `[dreamdeck] invalid config:\n  ${paths.join('\n  ')}`, {
      cause: parsed.error,
      details: { issues: paths },
    });
  }
  return parsed.data;
}
