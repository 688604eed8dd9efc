import type { Migration } from './migration';
import { v0001CreateTables } from './v0001-create-tables';

/** Every migration this code knows, in version order. Append only. */
export const allMigrations: readonly Migration[] = [v0001CreateTables];
