// The answers of `GET /admin/variants` (`dd.variants.report()`): wire types, apart from the code so
// `types.ts` can re-export them without importing storage.

/** One variant's standing in its persona's experiment. */
export interface VariantStats {
  /** The variant id. */
  id: string;
  /** Whether it is the promoted variant (every thread of the persona uses it). */
  promoted: boolean;
  /** Thumbs up on the GM messages it wrote. */
  up: number;
  /** Thumbs down on them. */
  down: number;
  /** `up + down`. */
  votes: number;
  /** The share of thumbs up (0 to 1), or null without votes. */
  upShare: number | null;
  /** The 95% Wilson score interval of that share (`{ lower: 0, upper: 1 }` without votes). */
  interval: {
    /** The interval's lower bound (0 to 1). */
    lower: number;
    /** The interval's upper bound (0 to 1). */
    upper: number;
  };
}

/** A persona's prompt experiment. */
export interface PersonaExperiment {
  /** The persona id. */
  persona: string;
  /** The promoted variant id, if one is. */
  promoted?: string;
  /** When it was promoted (ISO 8601). */
  promotedAt?: string;
  /** Every configured variant, in configured order, then variants no longer configured that still have votes. */
  variants: VariantStats[];
}
