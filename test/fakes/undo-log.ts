/**
 * The inverse of row changes, run newest first. A statement that fails part
 * way is undone whole (InnoDB's statement rollback); a transaction that
 * rolls back undoes the writes its queries made (the retry-cache claim).
 */
export class UndoLog {
  readonly #undos: (() => void)[] = [];

  add(undo: () => void): void {
    this.#undos.push(undo);
  }

  undoAll(): void {
    for (let undo = this.#undos.pop(); undo; undo = this.#undos.pop()) undo();
  }
}
