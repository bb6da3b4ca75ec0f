import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The element a chat controller serves: a Lit host, and the target of the events it fires. */
export type ChatHost = ReactiveControllerHost & HTMLElement;

/**
 * Base of `<dreamdeck-chat>`'s controllers: registers itself with its host and renders the host
 * again whenever its state changes through {@link ChatController.set}. `State` is the subclass
 * itself (`class StoryController extends ChatController<StoryController>`), so `set` takes its fields.
 */
export class ChatController<State> implements ReactiveController {
  /** The element this controller serves. */
  readonly host: ChatHost;

  constructor(host: ChatHost) {
    this.host = host;
    host.addController(this);
  }

  /** Lit calls this when the host connects; controllers with listeners override it. */
  hostConnected?(): void;

  /**
   * Changes state and asks the host to render (Lit batches the requests into one update).
   *
   * @param patch - the fields to change
   */
  set(patch: Partial<State>): void {
    Object.assign(this, patch);
    this.host.requestUpdate();
  }
}
