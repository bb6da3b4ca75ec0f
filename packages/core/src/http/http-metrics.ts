import type { EventEmitter } from 'eventemitter3';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DreamdeckEvents } from '../events.js';

/** The Prometheus metrics one request handler keeps, in its own {@link Registry}. */
export interface HttpMetrics {
  /** The registry `GET /metrics` renders. */
  readonly registry: Registry;
  /** `dreamdeck_turns_total{status}`: turns finished, by status. */
  readonly turns: Counter<'status'>;
  /** `dreamdeck_turn_duration_seconds{status}`: how long turns took, by status. */
  readonly turnDuration: Histogram<'status'>;
  /** `dreamdeck_streamed_tokens_total`: narration tokens streamed. */
  readonly tokens: Counter;
  /** `dreamdeck_images_generated_total`: images generated. */
  readonly images: Counter;
  /** `dreamdeck_rate_limited_total{limit}`: calls refused by a rate limit, by limit. */
  readonly rateLimited: Counter<'limit'>;
  /** `dreamdeck_auth_failures_total{reason}`: requests refused 401 (`missing` or `invalid` credentials). */
  readonly authFailures: Counter<'reason'>;
  /** `dreamdeck_open_streams`: turn event streams open right now. */
  readonly openStreams: Gauge;
  /** `dreamdeck_http_requests_total{method,route,status}`: requests answered, by route template. */
  readonly requests: Counter<'method' | 'route' | 'status'>;
  /** Stops listening to engine events. */
  detach(): void;
}

/**
 * Creates the handler's metrics and feeds them from `dd.events`: turns by status, turn duration,
 * streamed tokens, images, rate-limit hits; plus auth failures, open streams, requests by route,
 * and Node process metrics (`collectDefaultMetrics`).
 */
export function createHttpMetrics(
  events: EventEmitter<DreamdeckEvents>,
  options: { processMetrics?: boolean } = {},
): HttpMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const turns = new Counter({
    name: 'dreamdeck_turns_total',
    help: 'Turns finished, by status.',
    labelNames: ['status'] as const,
    registers,
  });
  const turnDuration = new Histogram({
    name: 'dreamdeck_turn_duration_seconds',
    help: 'Turn duration in seconds, by status.',
    labelNames: ['status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const tokens = new Counter({
    name: 'dreamdeck_streamed_tokens_total',
    help: 'Model tokens streamed to players.',
    registers,
  });
  const images = new Counter({
    name: 'dreamdeck_images_generated_total',
    help: 'Storyboard images generated.',
    registers,
  });
  const rateLimited = new Counter({
    name: 'dreamdeck_rate_limited_total',
    help: 'Requests refused by a per-user rate limit, by limit.',
    labelNames: ['limit'] as const,
    registers,
  });
  const authFailures = new Counter({
    name: 'dreamdeck_auth_failures_total',
    help: 'Requests refused for missing or invalid credentials.',
    labelNames: ['reason'] as const,
    registers,
  });
  const openStreams = new Gauge({ name: 'dreamdeck_open_streams', help: 'Event streams open right now.', registers });
  const requests = new Counter({
    name: 'dreamdeck_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  for (const status of ['complete', 'interrupted', 'error', 'aborted']) turns.inc({ status }, 0);
  for (const limit of ['turnsPerMinute', 'imagesPerMinute', 'apiCallsPerHour']) rateLimited.inc({ limit }, 0);

  const onTurnEnd = (event: DreamdeckEvents['turn-end'][0]) => {
    turns.inc({ status: event.status });
    turnDuration.observe({ status: event.status }, event.durationMs / 1000);
    if (event.tokens > 0) tokens.inc(event.tokens);
  };
  const onImage = () => images.inc();
  const onRateLimited = (event: DreamdeckEvents['rate-limited'][0]) => rateLimited.inc({ limit: event.limit });
  events.on('turn-end', onTurnEnd);
  events.on('image-generated', onImage);
  events.on('rate-limited', onRateLimited);

  return {
    registry,
    turns,
    turnDuration,
    tokens,
    images,
    rateLimited,
    authFailures,
    openStreams,
    requests,
    detach() {
      events.off('turn-end', onTurnEnd);
      events.off('image-generated', onImage);
      events.off('rate-limited', onRateLimited);
    },
  };
}
