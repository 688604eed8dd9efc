import type { Migration } from './migration';
import { v0001CreateTables } from './v0001-create-tables';
import { v0002BlockManager } from './v0002-block-manager';
import { v0003RetryCache } from './v0003-retry-cache';
import { v0006CommandDelivery } from './v0006-command-delivery';

/**
 * Versions 4 and 5 belong to other parts of issue 9, on other branches:
 * these stand-ins keep the versions contiguous here and give way to the
 * real ones when the branches merge.
 */
const reserved = (version: number): Migration => ({ version, description: `reserved for issue 9 (version ${version})`, statements: () => [] });

/** Every migration this code knows, in version order. Append only. */
export const allMigrations: readonly Migration[] = [v0001CreateTables, v0002BlockManager, v0003RetryCache, reserved(4), reserved(5), v0006CommandDelivery];
