import { isNamesystemError, type NamesystemErrorKind } from '../../namenode/errors';

/** Awaits `p`, expecting a typed namesystem error of `kind` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, kind: NamesystemErrorKind, message?: RegExp): Promise<void> {
  const e = await p.then(
    () => new Error(`expected ${kind}, but it succeeded`),
    (err: unknown) => err,
  );
  if (!isNamesystemError(e, kind)) throw new Error(`expected ${kind}, got ${String(e)}`);
  if (message) expect((e as Error).message).toMatch(message);
}
