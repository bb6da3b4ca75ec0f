/** One server-sent event with its `id:` (undefined for an event without one). */
export interface NumberedEvent {
  id: number | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a `text/event-stream` response, calling `onEvent` with each event as it arrives; returning
 * true from it cancels the body there (the client drops). Resolves every event read.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: NumberedEvent) => boolean | undefined = () => undefined,
): Promise<NumberedEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: NumberedEvent[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: number | undefined;
      let name = 'message';
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = Number(line.slice(4));
        else if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data === undefined) continue;
      const event: NumberedEvent = { id, event: name, data: JSON.parse(data) as Record<string, unknown> };
      events.push(event);
      if (onEvent(event) === true) {
        await reader.cancel().catch(() => {});
        return events;
      }
    }
  }
  return events;
}

/** What a turn's events add up to: per message its kind and whole text, in order, and how the turn ended. */
export function storyOf(events: NumberedEvent[]) {
  const messages: Array<{ id: string; kind: unknown; text: string }> = [];
  for (const { event, data } of events) {
    if (event === 'message-start') messages.push({ id: data.messageId as string, kind: data.kind, text: '' });
    if (event === 'message-delta') {
      const message = messages.find((candidate) => candidate.id === data.messageId);
      if (message) message.text += data.text as string;
    }
  }
  return {
    types: events.map((event) => event.event),
    messages,
    status: events.at(-1)?.event === 'turn-end' ? events.at(-1)?.data.status : undefined,
  };
}
