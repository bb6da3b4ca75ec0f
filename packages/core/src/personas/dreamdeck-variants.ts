import { DreamdeckError } from '../errors.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { Persona } from './personas.js';
import { type VariantPromotion, type VariantPromotions, wilsonInterval } from './prompt-variants.js';
import type { PersonaExperiment, VariantStats } from './variant-types.js';

export type { PersonaExperiment, VariantStats } from './variant-types.js';

/** Prompt experiments (`dd.variants`; see docs/prompt-experiments.md). */
export interface DreamdeckVariants {
  /** Thumbs per variant with Wilson intervals, for every persona that has variants (or votes on some). */
  report(): Promise<PersonaExperiment[]>;
  /**
   * Makes `id` the variant every thread of `persona` uses from now on (persisted in storage, so it
   * survives restarts and reaches every instance within seconds). `NOT_FOUND` for an unknown
   * persona or variant.
   */
  promote(persona: string, id: string): Promise<VariantPromotion>;
}

/** What `dd.variants` needs from the engine. */
export interface VariantDeps {
  storage: StorageAdapter;
  personas: () => Map<string, Persona>;
  promotions: VariantPromotions;
}

/** Builds `dd.variants`. */
export function createDreamdeckVariants(deps: VariantDeps): DreamdeckVariants {
  return {
    async report() {
      const [votes, promotions] = await Promise.all([deps.storage.variantFeedback(), deps.promotions.list()]);
      const experiments = new Map<string, PersonaExperiment>();
      const experiment = (persona: string) => {
        let found = experiments.get(persona);
        if (!found) {
          const promotion = promotions.find((p) => p.persona === persona);
          found = {
            persona,
            ...(promotion && { promoted: promotion.id, promotedAt: promotion.promotedAt }),
            variants: [],
          };
          experiments.set(persona, found);
        }
        return found;
      };
      const stats = (id: string, promoted: string | undefined, up: number, down: number): VariantStats => ({
        id,
        promoted: id === promoted,
        up,
        down,
        votes: up + down,
        upShare: up + down ? Math.round((up / (up + down)) * 10_000) / 10_000 : null,
        interval: wilsonInterval(up, down),
      });
      for (const persona of deps.personas().values()) {
        if (!persona.variants?.length) continue;
        const entry = experiment(persona.id);
        for (const variant of persona.variants) {
          const counted = votes.find((v) => v.persona === persona.id && v.variant === variant.id);
          entry.variants.push(stats(variant.id, entry.promoted, counted?.up ?? 0, counted?.down ?? 0));
        }
      }
      for (const counted of votes) {
        const entry = experiment(counted.persona);
        if (entry.variants.some((v) => v.id === counted.variant)) continue;
        entry.variants.push(stats(counted.variant, entry.promoted, counted.up, counted.down));
      }
      return [...experiments.values()];
    },
    async promote(personaId, id) {
      if (typeof personaId !== 'string' || typeof id !== 'string' || !id)
        throw new DreamdeckError('INVALID_INPUT', 'Name the persona and the id of one of its variants.');
      const persona = deps.personas().get(personaId);
      if (!persona) throw new DreamdeckError('NOT_FOUND', `There is no persona "${personaId.slice(0, 40)}".`);
      if (!persona.variants?.some((variant) => variant.id === id))
        throw new DreamdeckError('NOT_FOUND', `The persona "${personaId}" has no variant "${id.slice(0, 40)}".`);
      return deps.promotions.promote(personaId, id);
    },
  };
}
