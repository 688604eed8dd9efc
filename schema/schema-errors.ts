/** Base of every refusal of the schema tools; `instanceof` tells them apart. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The database was migrated by a newer nnfleet than this one. */
export class SchemaTooNewError extends SchemaError {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `database schema is at version ${databaseVersion}, newer than the ${knownVersion} this nnfleet knows; ` +
        'upgrade nnfleet instead of running an older one against it',
    );
  }
}

/** Another process held the schema lock for longer than we were willing to wait. */
export class SchemaLockTimeoutError extends SchemaError {
  constructor(
    readonly lockName: string,
    readonly timeoutSeconds: number,
  ) {
    super(`could not take schema lock ${lockName} within ${timeoutSeconds}s: another migration is running`);
  }
}

/** The database holds tables that are not an nnfleet namespace. */
export class ForeignDatabaseError extends SchemaError {
  constructor(
    readonly database: string,
    readonly tables: readonly string[],
  ) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    super(
      `database ${database} is not empty and holds no nnfleet namespace (tables: ${shown}); ` +
        'refusing to touch it — use an empty database',
    );
  }
}

/** The database holds a namespace of another cluster than the one asked for. */
export class NamespaceMismatchError extends SchemaError {
  constructor(
    readonly database: string,
    readonly storedClusterId: string,
    readonly requestedClusterId: string,
  ) {
    super(
      `database ${database} holds cluster ${storedClusterId}, not the requested ${requestedClusterId}; ` +
        'refusing to touch it',
    );
  }
}

/** The connection has no current database to put the schema in. */
export class NoDatabaseSelectedError extends SchemaError {
  constructor() {
    super('the connection has no database selected; connect with a database name');
  }
}
