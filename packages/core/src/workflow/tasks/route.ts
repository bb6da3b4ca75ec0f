import { task } from '@langchain/langgraph';
import { type Route, routeByModel } from '../router.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** What the `route` task classifies: input the router's rules could not settle. */
export interface RouteInput {
  threadId: string;
  text: string;
}

/**
 * The `route` task: asks the model where input goes (`router.useModel` in config; narration when
 * off). Never fails for a bad answer: the model router falls back to narration and logs why.
 */
export function createRouteTask(context: TurnContext) {
  return task('route', async (input: RouteInput): Promise<Route> => {
    if (!context.config().router.useModel) return { type: 'narrate', via: 'rules' };
    return routeByModel(context.model().model, input.text, {
      signal: sinkFor(context, input.threadId).signal,
      onError: (error) =>
        context.logger.warn({ err: error, threadId: input.threadId }, 'router failed; narrating instead'),
    });
  });
}
