import { BUILT_IN_PERSONAS, type DreamdeckConfigInput } from '@dreamdeck/core';

/**
 * What `pnpm example` adds to show surveys and prompt experiments (issue 22; docs/surveys.md,
 * docs/prompt-experiments.md): a three-question survey after a player's third turn, and two prompt
 * variants of the storyteller (its own prompt, and one asking for sensory detail). Left out when a
 * config file is given (`DREAMDECK_CONFIG`) or `DREAMDECK_EXAMPLE_EXPERIMENTS=off`; tests start the
 * server without it.
 */
export function exampleExperiments(env: NodeJS.ProcessEnv): DreamdeckConfigInput {
  if (env.DREAMDECK_CONFIG || ['off', 'false', '0'].includes((env.DREAMDECK_EXAMPLE_EXPERIMENTS ?? '').toLowerCase()))
    return {};
  const storyteller = BUILT_IN_PERSONAS.storyteller!;
  return {
    surveys: [
      {
        id: 'first-impressions',
        title: 'A quick question about your story',
        after: { turns: 3 },
        questions: [
          { id: 'fun', kind: 'rating', prompt: 'How much fun are you having?' },
          { id: 'pace', kind: 'choice', prompt: 'The pace is…', options: ['too slow', 'about right', 'too fast'] },
          { id: 'wish', kind: 'text', prompt: 'What would you like more of?' },
        ],
      },
    ],
    personas: {
      storyteller: {
        ...storyteller,
        variants: [
          { id: 'classic', prompt: storyteller.prompt },
          {
            id: 'sensory',
            prompt: `${storyteller.prompt}\n\nIn every scene, give two concrete sensory details (a sound, a smell, a texture).`,
          },
        ],
      },
    },
  };
}
