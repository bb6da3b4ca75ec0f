import { interrupt } from '@langchain/langgraph';
import type { InterruptRequest, TurnInput } from './turn-context.js';
import { sinkFor } from './turn-context.js';
import type { TurnKit } from './turn-tasks.js';

/**
 * A step of the turn body (not a task): ends the turn with a `survey` interrupt for `surveyId`,
 * when it is still configured. On resume the answers were already checked and stored (by
 * `session.resume`, before the run continues; a skip arrives as `false`), so all that is left is a
 * thank-you `status`.
 * A player who writes on instead of answering leaves the question behind: it expires.
 */
export function askSurvey(kit: TurnKit, input: TurnInput, surveyId: string): void {
  const survey = kit.context.config().surveys.find((candidate) => candidate.id === surveyId);
  if (!survey) return;
  const request: InterruptRequest = {
    interruptId: `int_${input.turnId}_survey`,
    turnId: input.turnId,
    kind: 'survey',
    prompt: survey.title,
    survey: { id: survey.id, title: survey.title, questions: survey.questions },
  };
  const answers = interrupt(request);
  sinkFor(kit.context, input.threadId).emit({
    type: 'status',
    text: answers === false ? 'Survey skipped.' : 'Thanks for answering!',
  });
}
