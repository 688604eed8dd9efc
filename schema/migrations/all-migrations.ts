import type { Migration } from './migration';
import { v0001CreateTables } from './v0001-create-tables';
import { v0002BlockManager } from './v0002-block-manager';
import { v0003RetryCache } from './v0003-retry-cache';
import { v0004MembershipSecret } from './v0004-membership-secret';
import { v0005BlockKeys } from './v0005-block-keys';
import { v0006CommandDelivery } from './v0006-command-delivery';
import { v0007DirectoryChildren } from './v0007-directory-children';
import { v0008Acls } from './v0008-acls';
import { v0009SafeMode } from './v0009-safe-mode';
import { v0010SubtreeOps } from './v0010-subtree-ops';
import { v0011Quotas } from './v0011-quotas';
import { v0012ChangeLog } from './v0012-change-log';
import { v0013Snapshots } from './v0013-snapshots';
import { v0014BlockVersions } from './v0014-block-versions';
import { v0015SnapshotXAttrs } from './v0015-snapshot-xattrs';
import { v0016ListingStatus } from './v0016-listing-status';
import { v0017RootSafeMode } from './v0017-root-safe-mode';
import { v0018ChangeLogOrder } from './v0018-change-log-order';

/** Every migration this code knows, in version order. Append only. */
export const allMigrations: readonly Migration[] = [v0001CreateTables, v0002BlockManager, v0003RetryCache, v0004MembershipSecret, v0005BlockKeys, v0006CommandDelivery, v0007DirectoryChildren, v0008Acls, v0009SafeMode, v0010SubtreeOps, v0011Quotas, v0012ChangeLog, v0013Snapshots, v0014BlockVersions, v0015SnapshotXAttrs, v0016ListingStatus, v0017RootSafeMode, v0018ChangeLogOrder];
