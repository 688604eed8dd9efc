/** Raised when a path changed between resolution and locking: resolve again. */
export class StaleResolution extends Error {
  constructor(readonly path: string) {
    super(`path ${path} changed while it was being locked`);
  }
}
