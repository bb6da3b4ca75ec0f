import { answerScriptedStatus, type LoopbackServer, startLoopbackServer, TINY_PNG } from './loopback-server.js';

/**
 * Starts a loopback server speaking the Automatic1111 / Forge web UI API: `POST /sdapi/v1/txt2img`
 * answers `{ images: [<base64 PNG>], parameters, info }` as the real one does. Scripts apply as
 * for the other servers (`status`, `fault: 'hang' | 'reset' | 'malformed'`).
 */
export function startA1111Server(): Promise<LoopbackServer> {
  return startLoopbackServer((context) => {
    const { record, response, script } = context;
    if (record.method !== 'POST' || record.path !== '/sdapi/v1/txt2img') return false;
    if (answerScriptedStatus(context, (message) => ({ error: 'HTTPException', detail: message }))) return true;
    if (script.fault === 'reset') {
      response.socket?.destroy();
      return true;
    }
    const parameters = (record.body ?? {}) as Record<string, unknown>;
    const payload = JSON.stringify({
      images: [TINY_PNG.toString('base64')],
      parameters,
      info: JSON.stringify({ prompt: parameters.prompt, seed: parameters.seed ?? 1234 }),
    });
    response.writeHead(200, { 'content-type': 'application/json', ...script.headers });
    response.end(script.fault === 'malformed' || script.fault === 'truncated' ? payload.slice(0, 20) : payload);
    return true;
  });
}
