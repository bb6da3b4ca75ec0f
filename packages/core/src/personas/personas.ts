import type { PersonaConfig } from '../config/config-schema.js';
import coder from './prompts/coder.js';
import dungeonMaster from './prompts/dungeon-master.js';
import friend from './prompts/friend.js';
import lorekeeper from './prompts/lorekeeper.js';
import secretary from './prompts/secretary.js';
import storyteller from './prompts/storyteller.js';
import therapist from './prompts/therapist.js';

/** A persona with its id. */
export interface Persona extends PersonaConfig {
  /** Its key in config `personas` or {@link BUILT_IN_PERSONAS} (`storyteller`, `dungeon-master`, …). */
  id: string;
}

/** The personas every Dreamdeck ships with; config can add more or replace these by id. */
export const BUILT_IN_PERSONAS: Readonly<Record<string, PersonaConfig>> = {
  storyteller: {
    name: 'Storyteller GM',
    icon: '📜',
    description: 'A collaborative game master for any genre.',
    prompt: storyteller,
  },
  'dungeon-master': {
    name: 'Dungeon Master',
    icon: '🐉',
    description: 'Classic fantasy adventure with dice and danger.',
    prompt: dungeonMaster,
  },
  friend: { name: 'Friend', icon: '🙂', description: 'A warm companion to chat with.', prompt: friend },
  therapist: {
    name: 'Therapist',
    icon: '🌿',
    description: 'A gentle, supportive listener (not a professional).',
    prompt: therapist,
  },
  secretary: { name: 'Secretary', icon: '🗂️', description: 'Lists, summaries and campaign notes.', prompt: secretary },
  coder: { name: 'Coder', icon: '💻', description: 'Code for dice bots, sheets and generators.', prompt: coder },
  lorekeeper: {
    name: 'Lorekeeper',
    icon: '📚',
    description: "Keeper of the world's lore and the knowledge base.",
    prompt: lorekeeper,
  },
};

/** Built-in personas merged with configured ones (configured ids win). */
export function resolvePersonas(configured: Record<string, PersonaConfig>): Map<string, Persona> {
  const all = new Map<string, Persona>();
  for (const [id, persona] of Object.entries({ ...BUILT_IN_PERSONAS, ...configured })) all.set(id, { id, ...persona });
  return all;
}

/** Rendered prompts per persona object and tool list: every turn in flight shares one string. */
const rendered = new WeakMap<Persona, Map<string, string>>();

/** Fills `{{name}}` and `{{tools}}` in a persona's prompt template. */
export function renderPersonaPrompt(persona: Persona, values: { tools: string }): string {
  let byTools = rendered.get(persona);
  if (!byTools) {
    byTools = new Map();
    rendered.set(persona, byTools);
  }
  let text = byTools.get(values.tools);
  if (text === undefined) {
    text = persona.prompt.replaceAll('{{name}}', persona.name).replaceAll('{{tools}}', values.tools);
    // the tool list comes from flags, so a persona has at most a handful of variants
    byTools.set(values.tools, text);
  }
  return text;
}
