import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { task } from '@langchain/langgraph';
import { z } from 'zod';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** The structured output the model answers a storyboard request with. */
const storyboardSchema = z.object({ prompts: z.array(z.string().min(3).max(600)).min(1).max(3) });

/** The scene is the text of `messageId` (read from storage, so the checkpoint stays small) or `scene`. */
export type SceneSource = { messageId: string } | { scene: string };

/** What the `storyboard-prompts` task sketches. */
export interface StoryboardPromptsInput {
  threadId: string;
  source: SceneSource;
}

/**
 * The `storyboard-prompts` task: asks the model (structured output) for at most
 * `storyboard.maxImages` image prompts for a scene, with a `status` event while it sketches.
 * When the model fails, the scene itself (cut to 300 characters) is the one prompt.
 */
export function createStoryboardPromptsTask(context: TurnContext) {
  return task('storyboard-prompts', async (input: StoryboardPromptsInput): Promise<string[]> => {
    const scene =
      'scene' in input.source
        ? input.source.scene
        : ((await context.storage.getMessage(input.source.messageId))?.content ?? '');
    const max = context.config().storyboard.maxImages;
    sinkFor(context, input.threadId).emit({ type: 'status', text: 'Sketching the storyboard…' });
    try {
      const writer = context.model().model.withStructuredOutput(storyboardSchema, { name: 'storyboard_prompts' });
      const answer = storyboardSchema.parse(
        await writer.invoke(
          [
            new SystemMessage(
              `Write image prompts for a storyboard of this scene: at most ${max}, each one vivid visual sentence, no dialogue.`,
            ),
            new HumanMessage(scene),
          ],
          { signal: sinkFor(context, input.threadId).signal },
        ),
      );
      return answer.prompts.slice(0, max);
    } catch (error) {
      if (sinkFor(context, input.threadId).signal.aborted) throw error;
      context.logger.warn({ err: error }, 'storyboard prompts failed; using the scene itself');
      return [scene.replace(/\s+/g, ' ').slice(0, 300)];
    }
  });
}
