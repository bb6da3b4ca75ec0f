import { describe, expect, it } from 'vitest';
import { demoFacts, demoSummary, recalledFact, splitContext } from './demo-memory.js';

describe("the demo model's memory work", () => {
  it("extracts facts from the player's lines only, in the third person, with the message they came from", () => {
    const facts = demoFacts(
      [
        '[1] Player: My name is Mira Vell. My sister is called Lena, and I carry the lantern of Saint Bell.',
        '[2] GM: My name is Nobody, says the innkeeper.',
        '[3] Player: I owe the smuggler Varo 30 gold crowns. I fear the deep sea. I come from Saltford. No gore, please.',
      ].join('\n'),
    );
    expect(facts).toEqual([
      { subject: 'name', fact: "The player's name is Mira Vell.", kind: 'name', message: 1 },
      { subject: 'sister', fact: "The player's sister is called Lena.", kind: 'relationship', message: 1 },
      {
        subject: 'carries lantern of Saint Bell',
        fact: 'The player carries the lantern of Saint Bell.',
        kind: 'inventory',
        message: 1,
      },
      {
        subject: 'owes smuggler Varo',
        fact: 'The player owes the smuggler Varo 30 gold crowns.',
        kind: 'other',
        message: 3,
      },
      { subject: 'fears deep sea', fact: 'The player fears the deep sea.', kind: 'other', message: 3 },
      { subject: 'home', fact: 'The player comes from Saltford.', kind: 'place', message: 3 },
      { subject: 'preference no gore', fact: 'The player wants no gore in the story.', kind: 'preference', message: 3 },
    ]);
    expect(demoFacts('[1] Player: call me when you are ready, I open the door.')).toEqual([]);
  });

  it('writes an extractive summary that keeps names and fits the word budget', () => {
    const request = [
      'Summary so far:',
      'The player: My name is Mira.',
      '',
      'New passages:',
      'Player: I walk to Saltford harbour.',
      'GM: The rain keeps falling. **Cato Vell**, a one-eyed innkeeper, waves from the door of the Drowned Lantern. What do you do? 1. Go in 2. Walk on',
    ].join('\n');
    const summary = demoSummary('Write at most 200 words.', request);
    expect(summary).toBe(
      'The player: My name is Mira. The player: I walk to Saltford harbour. Cato Vell, a one-eyed innkeeper, waves from the door of the Drowned Lantern.',
    );
    const tight = demoSummary('Write at most 12 words.', request);
    expect(tight.split(/\s+/).length).toBeLessThanOrEqual(12);
    expect(tight).toContain('Mira');
  });

  it("reads the <context> block apart from the player's words, and brings up a fact a question is about", () => {
    const { text, remembered } = splitContext(
      "<context>\nRemembered from earlier:\n- The player's sister is called Lena.\n- The player fears the deep sea.\n</context>\n\nWhere is my sister?",
    );
    expect(text).toBe('Where is my sister?');
    expect(remembered).toHaveLength(2);
    expect(recalledFact(text, remembered)).toBe("The player's sister is called Lena.");
    expect(recalledFact('I open the door.', remembered)).toBeUndefined();
  });
});
