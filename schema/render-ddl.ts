import type { Engine } from './engine';
import type { ColumnDef, ColumnType, IndexDef, TableDef } from './table-def';

/**
 * Binary collation everywhere: HDFS names, owners and groups compare byte for
 * byte and case-sensitively, as in Hadoop.
 */
const CHARSET_CLAUSE = 'DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/**
 * `CREATE TABLE IF NOT EXISTS` for one table definition.
 *
 * IF NOT EXISTS because DDL commits implicitly on MySQL and MariaDB: a
 * migration interrupted after some of its tables must be able to run again
 * from the start, and two SQL nodes that cannot share a lock (NDB, Galera)
 * may both run it.
 */
export function renderCreateTable(def: TableDef, engine: Engine): string {
  validate(def);
  const lines = [
    ...def.columns.map(renderColumn),
    `PRIMARY KEY (${quoteList(def.primaryKey)})`,
    ...(def.uniqueKeys ?? []).map((k) => `UNIQUE KEY ${renderIndex(k)}`),
    ...(def.indexes ?? []).map((k) => `KEY ${renderIndex(k)}`),
  ];
  const head = `CREATE TABLE IF NOT EXISTS ${quoteIdent(def.name)} (\n  ${lines.join(',\n  ')}\n)`;
  if (engine === 'innodb') return `${head} ENGINE=InnoDB ${CHARSET_CLAUSE}`;
  const partition = def.partitionBy?.length ? `\nPARTITION BY KEY (${quoteList(def.partitionBy)})` : '';
  return `${head} ENGINE=NDBCLUSTER ${CHARSET_CLAUSE}${partition}`;
}

/**
 * `ALTER TABLE … ADD COLUMN` for a column a later migration adds. InnoDB
 * (MariaDB) takes IF NOT EXISTS, so an interrupted migration runs again;
 * NDB's SQL nodes do not, and the ALTER is the migration's first statement.
 */
export function renderAddColumn(table: string, col: ColumnDef, engine: Engine): string {
  return `ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${engine === 'innodb' ? 'IF NOT EXISTS ' : ''}${renderColumn(col)}`;
}

/**
 * `ALTER TABLE … ADD INDEX new, DROP INDEX old` for an index a later
 * migration puts in place of an earlier one: one statement, so NDB (which
 * takes neither IF NOT EXISTS nor IF EXISTS here) never has one without the
 * other; InnoDB (MariaDB) takes both, so an interrupted migration runs again.
 */
export function renderReplaceIndex(table: string, add: IndexDef, drop: string, engine: Engine): string {
  const [ifNot, ifExists] = engine === 'innodb' ? ['IF NOT EXISTS ', 'IF EXISTS '] : ['', ''];
  return `ALTER TABLE ${quoteIdent(table)} ADD INDEX ${ifNot}${renderIndex(add)}, DROP INDEX ${ifExists}${quoteIdent(drop)}`;
}

/**
 * Identifiers come from our own definitions, never from users; refusing
 * anything unusual keeps backtick quoting trivially correct.
 */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

function quoteList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}

function renderIndex(index: IndexDef): string {
  return `${quoteIdent(index.name)} (${quoteList(index.columns)})`;
}

function renderColumn(col: ColumnDef): string {
  const parts = [quoteIdent(col.name), renderType(col.type), col.nullable ? 'NULL' : 'NOT NULL'];
  if (col.default !== undefined) parts.push(`DEFAULT ${renderDefault(col)}`);
  return parts.join(' ');
}

function renderType(type: ColumnType): string {
  switch (type.kind) {
    case 'bigint':
    case 'int':
    case 'smallint':
    case 'tinyint':
      return `${type.kind.toUpperCase()}${type.unsigned ? ' UNSIGNED' : ''}`;
    case 'varchar':
    case 'varbinary':
      return `${type.kind.toUpperCase()}(${type.length})`;
  }
}

function renderDefault(col: ColumnDef): string {
  const value = col.default;
  if (value === null) {
    if (!col.nullable) throw new Error(`column ${col.name} is NOT NULL but defaults to NULL`);
    return 'NULL';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`column ${col.name} has a non-finite default`);
    return String(value);
  }
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function validate(def: TableDef): void {
  const columns = new Set(def.columns.map((c) => c.name));
  if (columns.size !== def.columns.length) throw new Error(`table ${def.name}: duplicate column names`);
  const mustExist = (what: string, names: readonly string[]): void => {
    if (names.length === 0) throw new Error(`table ${def.name}: ${what} has no columns`);
    for (const n of names) if (!columns.has(n)) throw new Error(`table ${def.name}: ${what} names unknown column ${n}`);
  };
  mustExist('primary key', def.primaryKey);
  for (const k of [...(def.uniqueKeys ?? []), ...(def.indexes ?? [])]) mustExist(`index ${k.name}`, k.columns);
  const partition = def.partitionBy ?? [];
  // NDB requires the distribution key inside the primary key; a prefix also
  // keeps rows sharing it in one partition, which is the point of it.
  if (partition.some((c, i) => def.primaryKey[i] !== c)) {
    throw new Error(`table ${def.name}: partitionBy must be a prefix of the primary key`);
  }
}
