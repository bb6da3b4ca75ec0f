import { task } from '@langchain/langgraph';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { MessagePart, StoryImage } from '../../types.js';
import { newMessage } from '../story-messages.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** The storyboard to paint: one image per prompt. */
export interface PaintInput {
  threadId: string;
  turnId: string;
  userId: string;
  prompts: string[];
}

/**
 * The `paint` task: paints a storyboard into one `storyboard` message, an `image` event and part
 * per scene, within the user's `imagesPerMinute` and the process-wide image concurrency cap. A
 * scene that fails is told in an error part; the story goes on. Resolves to the message id.
 */
export function createPaintTask(context: TurnContext) {
  return task('paint', async (input: PaintInput): Promise<string> => {
    const { storage, limits } = context;
    const sink = sinkFor(context, input.threadId);
    const adapter = context.images();
    const message = newMessage(input.threadId, input.turnId, {
      role: 'tool',
      kind: 'storyboard',
      content: '',
      parts: [],
      ...(sink.persona && { persona: sink.persona }),
    });
    await storage.appendMessage(message);
    sink.emit({
      type: 'message-start',
      messageId: message.id,
      role: 'tool',
      kind: 'storyboard',
      ...(sink.persona && { persona: sink.persona }),
    });
    const parts: MessagePart[] = [];
    const failures: string[] = [];
    let painted = 0;
    await Promise.all(
      input.prompts.map((prompt, index) =>
        limits.runImage(async () => {
          try {
            if (!adapter) throw new DreamdeckError('FEATURE_DISABLED', 'No image adapter is configured.');
            await limits.consume(input.userId, 'imagesPerMinute');
            sink.emit({ type: 'status', text: `Painting scene ${index + 1} of ${input.prompts.length}` });
            const result = await adapter.generate({ prompt, signal: sink.signal });
            const url =
              'url' in result
                ? result.url
                : `data:${result.mimeType};base64,${Buffer.from(result.data).toString('base64')}`;
            const image: StoryImage = { id: newId('img'), url, mimeType: result.mimeType, prompt };
            parts[index] = { type: 'image', image };
            painted++;
            sink.emit({ type: 'image', messageId: message.id, image });
            context.events.emit('image-generated', {
              userId: input.userId,
              threadId: input.threadId,
              imageId: image.id,
              adapter: adapter.name,
            });
            await storage.addUsage?.(input.userId, 'images');
          } catch (error) {
            if (sink.signal.aborted) throw error;
            const failure = DreamdeckError.from(error, 'MODEL_UNAVAILABLE');
            context.logger.warn({ err: error, threadId: input.threadId }, 'storyboard image failed');
            failures.push(
              failure.code === 'RATE_LIMITED' || failure.code === 'FEATURE_DISABLED'
                ? failure.message
                : 'The painter could not finish this scene.',
            );
          }
        }),
      ),
    );
    const finalParts = parts.filter(Boolean);
    if (failures.length)
      finalParts.push({ type: 'error', code: 'MODEL_UNAVAILABLE', message: [...new Set(failures)].join(' ') });
    const content = painted
      ? `🖼️ Storyboard: ${painted} scene${painted === 1 ? '' : 's'}.`
      : `🖼️ The storyboard could not be painted this time. ${[...new Set(failures)].join(' ')} The story goes on.`;
    const stored = await storage.updateMessage(message.id, {
      content,
      parts: finalParts,
      status: painted ? 'complete' : 'error',
    });
    sink.emit({ type: 'message-end', message: stored });
    return message.id;
  });
}
