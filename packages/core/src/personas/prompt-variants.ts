import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { PromptVariant } from '../config/config-schema.js';
import type { Persona } from './personas.js';

// Prompt experiments: a persona's `variants` are the arms; each thread gets one by a hash of its
// id (stable across instances and restarts), until one is promoted: then every thread uses it.
// Promotions live in the storage adapter's LangGraph store, so they survive restarts and every
// instance on the same storage reads them.

/** 32-bit FNV-1a of a string's UTF-16 code units (stable everywhere; no crypto needed to spread ids). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The variant of `persona` a thread uses: the promoted one when `promoted` names one of its
 * variants, else the one a hash of the thread id picks. Undefined for a persona without variants.
 */
export function assignVariant(persona: Persona, threadId: string, promoted?: string): PromptVariant | undefined {
  const variants = persona.variants;
  if (!variants?.length) return undefined;
  const chosen = promoted === undefined ? undefined : variants.find((variant) => variant.id === promoted);
  return chosen ?? variants[fnv1a(threadId) % variants.length];
}

/** The persona as a variant makes it (its prompt in place of the persona's); one object per pair, so prompt rendering caches. */
const personasByVariant = new WeakMap<Persona, Map<string, Persona>>();

/** `persona` with `variant`'s prompt (the same object each time for the same pair). */
export function personaWithVariant(persona: Persona, variant: PromptVariant): Persona {
  let byId = personasByVariant.get(persona);
  if (!byId) {
    byId = new Map();
    personasByVariant.set(persona, byId);
  }
  let derived = byId.get(variant.id);
  if (!derived || derived.prompt !== variant.prompt) {
    derived = { ...persona, prompt: variant.prompt };
    byId.set(variant.id, derived);
  }
  return derived;
}

/** The store namespace of promotions: one item per persona. */
const PROMOTIONS = ['dreamdeck', 'variants'];

/** A promotion as stored. */
export interface VariantPromotion {
  /** The persona. */
  persona: string;
  /** The variant every thread of it now uses. */
  id: string;
  /** When it was promoted (ISO 8601). */
  promotedAt: string;
}

/** How long a promotion read is reused before the store is asked again (other instances' promotions show within it). */
export const PROMOTION_CACHE_MS = 5000;

/**
 * Reads and writes promotions, with a short cache: a narration of a persona with variants reads
 * the store at most once per {@link PROMOTION_CACHE_MS}; a promotion on this instance applies at
 * once, on others within that time.
 */
export class VariantPromotions {
  #cache = new Map<string, { id: string | undefined; readAt: number }>();

  constructor(private readonly store: BaseStore) {}

  /** The promoted variant id of `persona`, if one is. */
  async promoted(persona: string): Promise<string | undefined> {
    const cached = this.#cache.get(persona);
    if (cached && Date.now() - cached.readAt < PROMOTION_CACHE_MS) return cached.id;
    const item = await this.store.get(PROMOTIONS, persona);
    const value = item?.value as Partial<VariantPromotion> | undefined;
    const id = typeof value?.id === 'string' ? value.id : undefined;
    this.#cache.set(persona, { id, readAt: Date.now() });
    return id;
  }

  /** Every stored promotion. */
  async list(): Promise<VariantPromotion[]> {
    const items = await this.store.search(PROMOTIONS, { limit: 1000 });
    return items.flatMap((item) => {
      const value = item.value as Partial<VariantPromotion>;
      return typeof value.id === 'string' && typeof value.persona === 'string' && item.key === value.persona
        ? [{ persona: value.persona, id: value.id, promotedAt: String(value.promotedAt) }]
        : [];
    });
  }

  /** Makes `id` the variant every thread of `persona` uses (the caller checked both exist). */
  async promote(persona: string, id: string): Promise<VariantPromotion> {
    const promotion: VariantPromotion = { persona, id, promotedAt: new Date().toISOString() };
    await this.store.put(PROMOTIONS, persona, { ...promotion }, false);
    this.#cache.set(persona, { id, readAt: Date.now() });
    return promotion;
  }
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval (95%) of the share of thumbs up among `up + down` votes, rounded to
 * four places; `{ lower: 0, upper: 1 }` with no votes (nothing is known yet).
 */
export function wilsonInterval(
  up: number,
  down: number,
): {
  /** The interval's lower bound (0 to 1). */
  lower: number;
  /** The interval's upper bound (0 to 1). */
  upper: number;
} {
  const n = up + down;
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = up / n;
  const z2 = Z95 * Z95;
  const centre = p + z2 / (2 * n);
  const margin = Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;
  return { lower: round((centre - margin) / denominator), upper: round((centre + margin) / denominator) };
}
