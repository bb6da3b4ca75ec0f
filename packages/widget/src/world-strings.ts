/** The World panel's strings, per language (English and German built in). */
export interface WorldStrings {
  /** The panel's accessible name. */
  world: string;
  /** The Lore tab. */
  lore: string;
  /** The Author's note tab, and its text field's label. */
  authorsNote: string;
  /** The Import tab, and the file picker's label. */
  import: string;
  /** The Documents tab. */
  documents: string;
  /** Shown while the entries load. */
  loading: string;
  /** Shown when there are no entries. */
  noLore: string;
  /** The keys field's label. */
  keys: string;
  /** The keys field's placeholder. */
  keysHint: string;
  /** The content field's label and placeholder. */
  content: string;
  /** The "always in the prompt" checkbox, and the mark of such an entry. */
  constant: string;
  /** The priority field's label. */
  priority: string;
  /** An entry for the open story only. */
  thisStory: string;
  /** An entry for every story of the player. */
  everyStory: string;
  /** Adds the entry. */
  add: string;
  /** Edits an entry. */
  edit: string;
  /** Saves an entry or the note. */
  save: string;
  /** Leaves an edit. */
  cancel: string;
  /** Deletes an entry. */
  remove: string;
  /** The note field's placeholder. */
  authorsNoteHint: string;
  /** Clears the note. */
  clear: string;
  /** Shown once the note is saved. */
  saved: string;
  /** What the Import tab takes. */
  importHint: string;
  /** Shown while a file uploads. */
  importing: string;
  /** After a card import (`{name}`, `{count}` filled in). */
  importedCard: string;
  /** After a world-info import (`{count}` filled in). */
  importedWorld: string;
}

const EN: WorldStrings = {
  world: 'World',
  lore: 'Lore',
  authorsNote: "Author's note",
  import: 'Import',
  documents: 'Documents',
  loading: 'Loading…',
  noLore: 'No lore yet. Add an entry: the GM reads it when one of its keys comes up.',
  keys: 'Keys',
  keysHint: 'Keys, separated by commas',
  content: 'What the GM should know',
  constant: 'Always',
  priority: 'Priority',
  thisStory: 'this story',
  everyStory: 'every story',
  add: 'Add',
  edit: 'Edit',
  save: 'Save',
  cancel: 'Cancel',
  remove: 'Remove',
  authorsNoteHint: 'A short instruction the GM follows every turn in this story, such as "Keep it eerie."',
  clear: 'Clear',
  saved: 'Saved.',
  importHint: 'A character card (PNG or JSON, V2 or V3) or a SillyTavern world-info file (JSON).',
  importing: 'Importing…',
  importedCard: 'Imported {name} as a persona, with {count} lore entries. Pick it for a new story in Settings.',
  importedWorld: 'Imported {count} lore entries.',
};

const DE: WorldStrings = {
  world: 'Welt',
  lore: 'Lore',
  authorsNote: 'Autorennotiz',
  import: 'Import',
  documents: 'Dokumente',
  loading: 'Lädt…',
  noLore: 'Noch keine Lore. Lege einen Eintrag an: der SL liest ihn, sobald eines seiner Stichwörter fällt.',
  keys: 'Stichwörter',
  keysHint: 'Stichwörter, durch Kommas getrennt',
  content: 'Was der SL wissen soll',
  constant: 'Immer',
  priority: 'Priorität',
  thisStory: 'diese Geschichte',
  everyStory: 'jede Geschichte',
  add: 'Hinzufügen',
  edit: 'Bearbeiten',
  save: 'Speichern',
  cancel: 'Abbrechen',
  remove: 'Entfernen',
  authorsNoteHint: 'Eine kurze Anweisung, der der SL in dieser Geschichte jede Runde folgt, etwa „Bleib unheimlich.“',
  clear: 'Leeren',
  saved: 'Gespeichert.',
  importHint: 'Eine Charakterkarte (PNG oder JSON, V2 oder V3) oder eine SillyTavern-World-Info-Datei (JSON).',
  importing: 'Importiert…',
  importedCard:
    '{name} als Persona importiert, mit {count} Lore-Einträgen. Wähle sie in den Einstellungen für eine neue Geschichte.',
  importedWorld: '{count} Lore-Einträge importiert.',
};

/**
 * The World panel's strings for a language: German for `de…`, else English.
 *
 * @param language - a language tag (`en`, `de`, `de-AT`, …)
 */
export function worldStrings(language: string): WorldStrings {
  return language.toLowerCase().startsWith('de') ? DE : EN;
}
