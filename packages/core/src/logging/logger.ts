/** Log levels in increasing severity. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * One level's log method, as pino has it: a message, or fields then an optional message.
 * @inline
 */
type LogFn = {
  (message: string): void;
  (fields: Record<string, unknown>, message?: string): void;
};

/** The pino-compatible logger shape Dreamdeck writes to. A `pino()` instance fits as it is. */
export interface Logger {
  /** Logs at `trace`: step-by-step detail. */
  trace: LogFn;
  /** Logs at `debug`: detail for developers. */
  debug: LogFn;
  /** Logs at `info`: normal events (config reloaded, flag changed). */
  info: LogFn;
  /** Logs at `warn`: something failed and was handled (a storyboard image that could not be painted). */
  warn: LogFn;
  /** Logs at `error`: a failure that ended a turn or request; `err` holds the error. */
  error: LogFn;
  /** Logs at `fatal`: the process cannot go on. */
  fatal: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

const levels: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

const SECRET_KEY = /(pass(word)?|secret|token|api[-_]?key|authorization|cookie|encryption[-_]?key|credential)/i;

/** Replaces values of secret-looking keys (password, token, apiKey, authorization…) with `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || typeof value !== 'object' || value === null) return value;
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner != null ? '[redacted]' : redact(inner, depth + 1);
  }
  return out;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Lines below this level are dropped (default `info`; `silent` drops all). */
  level?: LogLevel;
  /** Where lines go (default: stderr). */
  write?: (line: string) => void;
  /** Fields on every line. */
  bindings?: Record<string, unknown>;
}

/**
 * A small structured logger: one JSON object per line (`level`, `time`, `msg`, fields), secrets
 * redacted. Pass a pino instance to `createDreamdeck({ logger })` to use pino instead.
 */
export function createLogger(options: LoggerOptions = {}): Logger & { level: LogLevel } {
  return makeLogger(
    { level: options.level ?? 'info' },
    options.write ?? ((line) => process.stderr.write(`${line}\n`)),
    options.bindings ?? {},
  );
}

/** Children share `state`, so changing the parent's level changes theirs. */
function makeLogger(
  state: { level: LogLevel },
  write: (line: string) => void,
  bindings: Record<string, unknown>,
): Logger & { level: LogLevel } {
  const make = (level: Exclude<LogLevel, 'silent'>): LogFn =>
    ((fieldsOrMessage: Record<string, unknown> | string, message?: string) => {
      if (levels[level] < levels[state.level]) return;
      const fields = typeof fieldsOrMessage === 'string' ? {} : fieldsOrMessage;
      const msg = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
      const line = redact({ level: levels[level], time: Date.now(), ...bindings, ...fields, ...(msg && { msg }) });
      write(JSON.stringify(line));
    }) as LogFn;
  const logger = {
    get level() {
      return state.level;
    },
    set level(next: LogLevel) {
      state.level = next;
    },
    trace: make('trace'),
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    fatal: make('fatal'),
    child: (more: Record<string, unknown>) => makeLogger(state, write, { ...bindings, ...more }),
  };
  return logger;
}
