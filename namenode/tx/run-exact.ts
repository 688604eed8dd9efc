/**
 * Raised by an operation on its optimistic path when only its exact path
 * can do the change right (a directory touched without its lock under a
 * snapshot, whose pre-image must be kept): the runner resolves again and
 * runs the call exact, with the directory locked.
 */
export class RunExact extends Error {
  constructor(readonly reason: string) {
    super(`${reason}: runs again exact`);
  }
}
