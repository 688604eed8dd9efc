import type { Engine } from '../engine';

/**
 * One step of the schema's history. Versions start at 1 and grow by one;
 * a released migration never changes.
 *
 * DDL commits implicitly, so a migration cannot be rolled back half-way:
 * its statements must be safe to run again after a crash (IF NOT EXISTS,
 * IF EXISTS, INSERT … ON DUPLICATE KEY UPDATE).
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  statements(engine: Engine): string[];
}
