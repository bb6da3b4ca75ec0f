import {
  answerScriptedStatus,
  type LoopbackServer,
  type RequestContext,
  sampleFromSchema,
  scriptTokens,
  startLoopbackServer,
  TINY_PNG,
} from './loopback-server.js';

interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: unknown[];
  tools?: Array<{ type: 'function'; function: { name: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: { name?: string; schema?: unknown } };
}

const openAIError = (message: string, status: number) => ({
  error: {
    message,
    type:
      status === 401 || status === 403 ? 'invalid_request_error' : status === 429 ? 'rate_limit_error' : 'server_error',
    param: null,
    code: status === 401 ? 'invalid_api_key' : null,
  },
});

/** What a chat request asks for: plain text, a JSON reply in content, or a tool call. */
function structuredTarget(
  body: ChatBody,
): { kind: 'text' } | { kind: 'content'; schema?: unknown } | { kind: 'tool'; name: string; schema?: unknown } {
  const tool = body.tools?.[0];
  if (tool) {
    const choice = body.tool_choice as { function?: { name?: string } } | undefined;
    const name = choice?.function?.name ?? tool.function.name;
    const chosen = body.tools?.find((candidate) => candidate.function.name === name) ?? tool;
    return { kind: 'tool', name, schema: chosen.function.parameters };
  }
  if (body.response_format?.type === 'json_schema')
    return { kind: 'content', schema: body.response_format.json_schema?.schema };
  if (body.response_format?.type === 'json_object') return { kind: 'content' };
  return { kind: 'text' };
}

let counter = 0;

async function chatCompletions(context: RequestContext): Promise<void> {
  const { response, script } = context;
  const body = (context.record.body ?? {}) as ChatBody;
  const id = `chatcmpl-loopback-${++counter}`;
  const created = Math.floor(Date.now() / 1000);
  const model = body.model ?? 'loopback';
  const target = structuredTarget(body);
  const structured =
    target.kind === 'text' ? undefined : JSON.stringify(script.json ?? sampleFromSchema(target.schema));
  const tokens = target.kind === 'text' ? scriptTokens(script) : structured!.match(/.{1,12}/gs)!;
  const usage = { prompt_tokens: 12, completion_tokens: tokens.length, total_tokens: 12 + tokens.length };
  const finish = target.kind === 'tool' ? 'tool_calls' : 'stop';

  if (!body.stream) {
    if (script.fault === 'reset') return void response.socket?.destroy();
    const message =
      target.kind === 'tool'
        ? {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: `call_${counter}`, type: 'function', function: { name: target.name, arguments: structured } },
            ],
          }
        : { role: 'assistant', content: structured ?? tokens.join(''), refusal: null };
    const payload = JSON.stringify({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    });
    response.writeHead(200, { 'content-type': 'application/json', ...script.headers });
    if (script.fault === 'malformed') return void response.end(payload.slice(0, -7) + '<html>');
    if (script.fault === 'truncated') return void response.end(payload.slice(0, Math.floor(payload.length / 2)));
    return void response.end(payload);
  }

  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...script.headers,
  });
  response.flushHeaders();
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    })}\n\n`;

  response.write(chunk({ role: 'assistant', content: target.kind === 'tool' ? null : '' }));
  const faultAt = script.fault ? (script.faultAfterTokens ?? 2) : Number.POSITIVE_INFINITY;
  for (const [index, token] of tokens.entries()) {
    if (index === faultAt) {
      if (script.fault === 'reset') return void response.socket?.destroy();
      if (script.fault === 'truncated') return void response.end(chunk({ content: token }).slice(0, 25));
      if (script.fault === 'malformed') response.write('data: {"choices":[{"delta":{"content": oops}\n\n');
    }
    const delta =
      target.kind === 'tool'
        ? {
            tool_calls: [
              index === 0
                ? {
                    index: 0,
                    id: `call_${counter}`,
                    type: 'function',
                    function: { name: target.name, arguments: token },
                  }
                : { index: 0, function: { arguments: token } },
            ],
          }
        : { content: token };
    if (!(await context.writeToken(chunk(delta), token))) return;
  }
  response.write(chunk({}, finish));
  if (body.stream_options?.include_usage) {
    response.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
    );
  }
  response.end('data: [DONE]\n\n');
}

function imageGenerations(context: RequestContext): void {
  const { response, script, server } = context;
  const body = (context.record.body ?? {}) as { model?: string; n?: number; response_format?: 'url' | 'b64_json' };
  if (script.fault === 'reset') return void response.socket?.destroy();
  const asUrl =
    body.response_format === 'url' || (body.response_format === undefined && body.model?.startsWith('dall-e'));
  const image = asUrl
    ? { url: `${server.url}/files/image-${++counter}.png` }
    : { b64_json: TINY_PNG.toString('base64') };
  const payload = JSON.stringify({
    created: Math.floor(Date.now() / 1000),
    data: Array.from({ length: body.n ?? 1 }, () => ({ ...image, revised_prompt: 'a revised prompt' })),
  });
  response.writeHead(200, { 'content-type': 'application/json', ...script.headers });
  if (script.fault === 'malformed' || script.fault === 'truncated') return void response.end(payload.slice(0, 20));
  response.end(payload);
}

/**
 * Starts a loopback server speaking the OpenAI REST protocol: `POST /v1/chat/completions` (JSON,
 * and SSE `data:` chunks ending in `data: [DONE]`, with a usage chunk when
 * `stream_options.include_usage` is set; tool calls and `json_schema` / `json_object`
 * response formats answer with schema-valid JSON), `POST /v1/images/generations` (`b64_json`, or
 * `url` for `dall-e-*` / `response_format: 'url'`) and `GET /files/*` (the PNG those URLs point at).
 *
 * @example
 * const server = await startOpenAIServer();
 * server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { text: 'Hello there' });
 * const model = createOpenAIModel({ model: 'gpt-4o-mini', baseURL: `${server.url}/v1`, apiKey: 'test' });
 */
export function startOpenAIServer(): Promise<LoopbackServer> {
  return startLoopbackServer(async (context) => {
    const { record, response } = context;
    if (record.method === 'GET' && record.path.startsWith('/files/')) {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(TINY_PNG);
      return true;
    }
    const isChat = record.path.endsWith('/chat/completions');
    const isImages = record.path.endsWith('/images/generations');
    if (record.method !== 'POST' || (!isChat && !isImages)) return false;
    if (answerScriptedStatus(context, openAIError)) return true;
    if (isChat) await chatCompletions(context);
    else imageGenerations(context);
    return true;
  });
}
