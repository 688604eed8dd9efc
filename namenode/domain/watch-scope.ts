import { ChangeKind, type ChangeEvent } from './change-event';

const under = (path: string, root: string): boolean => root === '/' || path === root || path.startsWith(`${root}/`);

/**
 * Whether a watch of `root` reports an event: anything at or below it (a
 * rename's source or destination), and the delete or rename of the root
 * or an ancestor, which ends the watched tree.
 */
export function inWatchScope(e: ChangeEvent, root: string): boolean {
  if (under(e.path, root) || (e.dstPath !== undefined && under(e.dstPath, root))) return true;
  return (e.kind === ChangeKind.Unlink || e.kind === ChangeKind.Rename) && under(root, e.path);
}

/** A Watch cursor is a position in decimal: what the server wrote, nothing else. */
export function parseWatchCursor(text: string): number | undefined {
  if (!/^(0|[1-9]\d{0,14})$/.test(text)) return undefined;
  return Number(text);
}

export const watchCursorOf = (position: number): string => String(position);
