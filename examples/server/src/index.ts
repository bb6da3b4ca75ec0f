/** The reference server as a function, for tests and embedding. */

export type { RunningServer, ServerLimits, StartServerOptions } from './start-server.js';
export { startServer } from './start-server.js';
