import { describe, expect, it } from 'vitest';
import { corsHeaders, preflightResponse } from './cors.js';

const from = (origin?: string) => new Request('http://api.test/threads', origin ? { headers: { origin } } : {});

describe('corsHeaders', () => {
  it('adds nothing without cors settings, without an Origin, or for an origin not allowed', () => {
    expect(corsHeaders(undefined, from('https://a.test'))).toEqual({});
    expect(corsHeaders({ origin: '*' }, from())).toEqual({});
    expect(corsHeaders({ origin: ['https://a.test'] }, from('https://b.test'))).toEqual({});
    expect(corsHeaders({ origin: 'https://a.test' }, from('https://b.test'))).toEqual({});
    expect(corsHeaders({ origin: (origin) => origin.endsWith('.a.test') }, from('https://b.test'))).toEqual({});
  });

  it('allows a listed, equal or accepted origin by name, and any origin with *', () => {
    const expose = 'x-request-id, retry-after, content-disposition';
    expect(corsHeaders({ origin: ['https://a.test'] }, from('https://a.test'))).toEqual({
      'access-control-allow-origin': 'https://a.test',
      'access-control-expose-headers': expose,
      vary: 'Origin',
    });
    expect(corsHeaders({ origin: 'https://a.test' }, from('https://a.test'))['access-control-allow-origin']).toBe(
      'https://a.test',
    );
    expect(
      corsHeaders({ origin: (origin) => origin.endsWith('.a.test') }, from('https://x.a.test'))[
        'access-control-allow-origin'
      ],
    ).toBe('https://x.a.test');
    expect(corsHeaders({ origin: '*' }, from('https://b.test'))['access-control-allow-origin']).toBe('*');
  });

  it('names the origin instead of * when credentials are allowed', () => {
    const headers = corsHeaders({ origin: '*', credentials: true }, from('https://b.test'));
    expect(headers['access-control-allow-origin']).toBe('https://b.test');
    expect(headers['access-control-allow-credentials']).toBe('true');
  });
});

describe('preflightResponse', () => {
  it('answers 204 with Allow, and the preflight headers only with cors', () => {
    const plain = preflightResponse(undefined, 'GET, PATCH');
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toBe('GET, PATCH');
    expect(plain.headers.has('access-control-allow-methods')).toBe(false);
    const cors = preflightResponse({ origin: '*', maxAgeSeconds: 60 }, 'GET, PATCH');
    expect(cors.headers.get('access-control-allow-methods')).toBe('GET, PATCH');
    expect(cors.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-request-id');
    expect(cors.headers.get('access-control-max-age')).toBe('60');
    expect(preflightResponse({ origin: '*' }, 'GET').headers.get('access-control-max-age')).toBe('600');
  });
});
