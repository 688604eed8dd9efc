import type { Query } from './query';

/** `counters`: id ranges and generation stamps, each reservation committed on its own. */
export interface CounterRepository {
  /** Reserves `size` values; answers the top of the reserved range (value - size, value]. */
  reserveRange(name: string, size: number): Query<number>;
  /** The next generation stamp, never lower than `above` + 1. */
  nextGenerationStamp(above: number): Query<number>;
}
