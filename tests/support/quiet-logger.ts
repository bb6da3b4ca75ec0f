import type { Logger } from '@dreamdeck/core';

/** A logger that drops every line, for servers a test starts. */
export const quietLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  fatal() {},
  child: () => quietLogger,
};
