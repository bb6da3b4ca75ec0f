import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { createDemoModel } from '../models/demo-model.js';
import { routeByModel, routeByRules } from './router.js';

describe('routeByRules', () => {
  it.each([
    ['/help', { type: 'command', name: 'help', args: '' }],
    ['/persona friend', { type: 'command', name: 'persona', args: 'friend' }],
    ['/reset', { type: 'command', name: 'reset', args: '' }],
    ['/save', { type: 'command', name: 'save', args: '' }],
    ['/write a storm comes', { type: 'command', name: 'write', args: 'a storm comes' }],
    ['/storyboard', { type: 'command', name: 'storyboard', args: '' }],
    ['/search bells', { type: 'command', name: 'search', args: 'bells' }],
    ['/todo rope', { type: 'command', name: 'todo', args: 'rope' }],
    ['/dance', { type: 'unknown-command', name: 'dance' }],
    ['/roll 1d20+3 for strength', { type: 'dice', notation: '1d20+3', reason: 'strength', story: '', via: 'command' }],
    ['/ROLL 2d6', { type: 'dice', notation: '2d6', story: '', via: 'command' }],
  ])('routes %j', (text, expected) => {
    expect(routeByRules(text)).toEqual(expected);
  });

  it('splits an inline /roll from the story text', () => {
    expect(routeByRules('I kick the door open. /roll 1d20+3 for strength')).toEqual({
      type: 'dice',
      notation: '1d20+3',
      reason: 'strength',
      story: 'I kick the door open.',
      via: 'command',
    });
  });

  it('routes natural-language rolls by rule', () => {
    expect(routeByRules('roll 2d6 for attack')).toMatchObject({
      type: 'dice',
      notation: '2d6',
      reason: 'attack',
      via: 'rules',
    });
  });

  it('narrates plain story text without asking the model', () => {
    expect(routeByRules('I walk into the tavern and order ale')).toEqual({ type: 'narrate', via: 'rules' });
  });

  it('leaves input with tool hints to the model', () => {
    expect(routeByRules('can you paint what the harbour looks like')).toBeUndefined();
    expect(routeByRules('tell me the legend of the bell')).toBeUndefined();
  });
});

describe('routeByModel', () => {
  it('uses the model structured output', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    expect(await routeByModel(model, 'paint a picture of the harbour')).toEqual({ type: 'storyboard', via: 'model' });
    expect(await routeByModel(model, 'what is the history of the bell tower?')).toMatchObject({
      type: 'knowledge',
      via: 'model',
    });
  });

  it('routes a wish to search the web to the search route with its query (issue 22: it fell through to narration)', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    expect(await routeByModel(model, 'search the web for the drowned bell')).toEqual({
      type: 'search',
      query: 'search the web for the drowned bell',
      via: 'model',
    });
  });

  it('falls back to narration when the model cannot do structured output', async () => {
    const errors: unknown[] = [];
    const route = await routeByModel(new FakeListChatModel({ responses: ['not json'] }), 'paint it', {
      onError: (e) => errors.push(e),
    });
    expect(route).toEqual({ type: 'narrate', via: 'fallback' });
    expect(errors).toHaveLength(1);
  });

  it('falls back when the model answers dice without usable notation', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const bound = Object.create(model) as typeof model;
    bound.withStructuredOutput = (() => ({ invoke: async () => ({ route: 'dice', notation: 'lots' }) })) as never;
    expect(await routeByModel(bound, 'roll something')).toEqual({ type: 'narrate', via: 'fallback' });
  });
});

describe('regressions', () => {
  it('"I draw my sword" is a fight, not a storyboard request (demo router read "draw" as painting)', async () => {
    expect(await routeByModel(createDemoModel({ latencyMs: 0 }), 'I draw my sword')).toEqual({
      type: 'narrate',
      via: 'model',
    });
    expect(await routeByModel(createDemoModel({ latencyMs: 0 }), 'draw me a picture of the ship')).toEqual({
      type: 'storyboard',
      via: 'model',
    });
  });
});

describe('tool hints', () => {
  it.each(['I search the room for clues.', 'I draw my sword', 'I look up at the stars', 'I picture her face'])(
    'narrates %j by rule (no model call for plain story verbs)',
    (text) => {
      expect(routeByRules(text)).toEqual({ type: 'narrate', via: 'rules' });
    },
  );

  it.each([
    'paint a picture of the harbour',
    'tell me the legend of the bell',
    'search the web for bells',
    'show me the map',
  ])('asks the model about %j', (text) => {
    expect(routeByRules(text)).toBeUndefined();
  });
});
