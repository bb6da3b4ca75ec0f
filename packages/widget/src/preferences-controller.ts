import { ChatController, type ChatHost } from './chat-controller.js';
import type { ConnectionController } from './connection-controller.js';
import { apiPath } from './events.js';
import type { FlagsAnswer, PersonaInfo, ThreadRecord } from './protocol.js';
import type { StoryController } from './story-controller.js';

/** A change the player made in the settings: the body of `PATCH /preferences`. */
export interface PreferenceChange {
  /** The persona the player prefers. */
  persona?: string;
  /** Flags the player turned on or off. */
  flags?: Record<string, boolean>;
  /** When the GM offers to paint scenes: after every reply, only on `/storyboard`, or never asked. */
  storyboards?: StoryboardsChoice;
}

/** The `storyboards` preference (see {@link PreferenceChange.storyboards}). */
export type StoryboardsChoice = 'every-reply' | 'on-command' | 'never';

/**
 * The personas a player may pick and the flags they see (`GET /personas`, `GET /preferences`),
 * and the changes they make in the settings (`PATCH /preferences`). Both lists are a nicety: when
 * they cannot be read the chat works without them.
 */
export class PreferencesController extends ChatController<PreferencesController> {
  /** The server's personas. */
  personas: PersonaInfo[] = [];
  /** Effective flags, and the ones the player may toggle. */
  flags: FlagsAnswer = { flags: {}, toggleable: [] };
  /** The player's preferred persona (`''`: none yet). */
  preferredPersona = '';
  /** When the GM offers to paint scenes (the `storyboards` preference). */
  storyboards: StoryboardsChoice = 'every-reply';
  readonly #connection: ConnectionController;
  readonly #story: StoryController;

  constructor(host: ChatHost, connection: ConnectionController, story: StoryController) {
    super(host);
    this.#connection = connection;
    this.#story = story;
  }

  /** Reads the personas (`GET /personas`); none when that fails. */
  async loadPersonas(): Promise<void> {
    let personas: PersonaInfo[] = [];
    try {
      personas = (await this.#connection.client!.json<{ personas?: PersonaInfo[] }>('GET', '/personas')).personas ?? [];
    } catch {
      // no persona picker then
    }
    this.set({ personas });
  }

  /** Reads the flags and the preferred persona (`GET /preferences`, which has what `GET /flags` has). */
  async loadFlags(): Promise<void> {
    try {
      const answer = await this.#connection.client!.json<
        FlagsAnswer & { preferences?: { persona?: string; storyboards?: StoryboardsChoice } }
      >('GET', '/preferences');
      this.set({
        flags: { flags: answer.flags ?? {}, toggleable: answer.toggleable ?? [] },
        preferredPersona: answer.preferences?.persona ?? '',
        storyboards: answer.preferences?.storyboards ?? 'every-reply',
      });
    } catch {
      // flags are a nicety: the chat works without them
    }
  }

  /**
   * Saves a change (`PATCH /preferences`). A new persona also becomes the open story's (its next
   * replies are the new GM's); a flag the server refuses is read back.
   *
   * @param change - the persona or the flags that changed
   */
  async change(change: PreferenceChange): Promise<void> {
    const client = this.#connection.client!;
    try {
      const answer = await client.json<FlagsAnswer>('PATCH', '/preferences', change);
      if (change.storyboards) this.set({ storyboards: change.storyboards });
      if (change.flags) {
        const { flags, toggleable } = this.flags;
        this.set({ flags: { flags: answer.flags ?? flags, toggleable: answer.toggleable ?? toggleable } });
      }
      const { persona } = change;
      if (persona === undefined) return;
      this.set({ preferredPersona: persona });
      const story = this.#story;
      // the open story switches too, as `/persona` would (issue 21: it changed only new stories, silently)
      if (story.thread && story.thread.persona !== persona) {
        const { thread } = await client.json<{ thread: ThreadRecord }>('PATCH', apiPath('threads', story.thread.id), {
          persona,
        });
        story.set({ thread });
      }
    } catch (error) {
      this.#connection.fail(error, false);
      if (change.flags) void this.loadFlags();
    }
  }
}
