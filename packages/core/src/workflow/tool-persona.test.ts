import { describe, expect, it } from 'vitest';
import { collect, quietDreamdeck } from '../../test/helpers.js';

// issue 21: after `/persona dungeon-master`, earlier dice, storyboard and help messages showed the
// new persona on reload, because tool messages were stored without one
describe('tool and system messages keep the persona of their turn', () => {
  it('dice, help and the switch notice carry their speaker; earlier ones keep the old one', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'speaker' });
    const before = (await session.history()).length;
    await collect(session.send('/roll 1d20'));
    await collect(session.send('/roll banana'));
    await collect(session.send('/help'));
    await collect(session.send('/persona dungeon-master'));
    await collect(session.send('/roll 2d6'));
    const messages = (await session.history()).slice(before);
    const tool = messages.filter((message) => message.role !== 'user');
    expect(tool.map((message) => [message.kind, message.persona])).toEqual([
      ['dice', 'storyteller'],
      ['dice', 'storyteller'],
      ['help', 'storyteller'],
      ['system', 'dungeon-master'],
      ['dice', 'dungeon-master'],
    ]);
    // as the turn streamed them, too
    const { events } = await collect(session.send('/roll 1d4'));
    expect(events.find((event) => event.type === 'message-start')).toMatchObject({ persona: 'dungeon-master' });
    await dd.close();
  });
});
