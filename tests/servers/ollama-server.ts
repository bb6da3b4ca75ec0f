import {
  answerScriptedStatus,
  type LoopbackServer,
  type RequestContext,
  sampleFromSchema,
  scriptTokens,
  startLoopbackServer,
} from './loopback-server.js';

interface OllamaChatBody {
  model?: string;
  stream?: boolean;
  format?: 'json' | Record<string, unknown>;
  tools?: Array<{ type: 'function'; function: { name: string; parameters?: unknown } }>;
  messages?: unknown[];
}

async function chat(context: RequestContext): Promise<void> {
  const { response, script } = context;
  const body = (context.record.body ?? {}) as OllamaChatBody;
  const model = body.model ?? 'loopback';
  const tool = body.tools?.[0];
  const structured =
    body.format !== undefined
      ? JSON.stringify(script.json ?? (body.format === 'json' ? {} : sampleFromSchema(body.format)))
      : undefined;
  const tokens = structured ? structured.match(/.{1,12}/gs)! : tool ? [] : scriptTokens(script);
  const line = (message: Record<string, unknown>, done = false) =>
    `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', ...message }, done })}\n`;
  const final = (content: string, extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({
      model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content, ...extra },
      done: true,
      done_reason: 'stop',
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: 12,
      prompt_eval_duration: 1000,
      eval_count: tokens.length,
      eval_duration: 1000,
    })}\n`;
  const toolCalls = tool
    ? [{ function: { name: tool.function.name, arguments: script.json ?? sampleFromSchema(tool.function.parameters) } }]
    : undefined;

  if (body.stream === false) {
    if (script.fault === 'reset') return void response.socket?.destroy();
    const payload = final(tokens.join(''), toolCalls ? { tool_calls: toolCalls } : {});
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...script.headers });
    if (script.fault === 'malformed' || script.fault === 'truncated') return void response.end(payload.slice(0, 30));
    return void response.end(payload);
  }

  response.writeHead(200, { 'content-type': 'application/x-ndjson', ...script.headers });
  response.flushHeaders();
  const faultAt = script.fault ? (script.faultAfterTokens ?? 2) : Number.POSITIVE_INFINITY;
  for (const [index, token] of tokens.entries()) {
    if (index === faultAt) {
      if (script.fault === 'reset') return void response.socket?.destroy();
      if (script.fault === 'truncated') return void response.end(line({ content: token }).slice(0, 30));
      if (script.fault === 'malformed') response.write('{"model":"loopback","message":{"content": oops}\n');
    }
    if (!(await context.writeToken(line({ content: token }), token))) return;
  }
  if (toolCalls) response.write(line({ content: '', tool_calls: toolCalls }));
  response.end(final(''));
}

/**
 * Starts a loopback server speaking the Ollama REST protocol: `POST /api/chat` streaming NDJSON
 * lines (`{"message":{"content":…},"done":false}` … a final `done: true` line with token counts),
 * or one JSON object with `stream: false`; `format` (a JSON schema or `"json"`) answers with
 * schema-valid JSON content, `tools` with a tool call. `GET /api/tags` and `GET /api/version`
 * answer as a running Ollama does. Errors use Ollama's `{ "error": "…" }` body.
 */
export function startOllamaServer(): Promise<LoopbackServer> {
  return startLoopbackServer(async (context) => {
    const { record, response } = context;
    if (record.method === 'GET' && record.path === '/api/version') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ version: '0.6.0' }));
      return true;
    }
    if (record.method === 'GET' && record.path === '/api/tags') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ models: [{ name: 'llama3.1:latest', model: 'llama3.1:latest' }] }));
      return true;
    }
    if (record.method !== 'POST' || record.path !== '/api/chat') return false;
    if (answerScriptedStatus(context, (message) => ({ error: message }))) return true;
    await chat(context);
    return true;
  });
}
