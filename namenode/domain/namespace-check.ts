/** What nnfleet's own fsck (namenode/fsck) finds: the namespace's invariants checked on the tables. */
export interface NamespaceCheck {
  readonly inodes: number;
  readonly reachable: number;
  readonly problems: readonly { readonly invariant: string; readonly sample: readonly Record<string, unknown>[] }[];
  readonly healthy: boolean;
}
