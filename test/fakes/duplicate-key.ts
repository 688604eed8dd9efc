/** The error MySQL raises for a duplicate key: `classifyDbError` sees errno 1062 and answers 'duplicate'. */
export class DuplicateKey extends Error {
  readonly errno = 1062;
  readonly code = 'ER_DUP_ENTRY';

  constructor(table: string, key: string) {
    super(`Duplicate entry '${key}' for key in table '${table}'`);
  }
}
