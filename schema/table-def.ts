/**
 * Engine-neutral table definitions. Written once here, rendered to DDL per
 * engine (InnoDB for MariaDB/Galera, NDBCLUSTER for MySQL Cluster) by
 * `render-ddl.ts`.
 */
export type ColumnType =
  | { readonly kind: 'bigint'; readonly unsigned?: boolean }
  | { readonly kind: 'int'; readonly unsigned?: boolean }
  | { readonly kind: 'smallint'; readonly unsigned?: boolean }
  | { readonly kind: 'tinyint'; readonly unsigned?: boolean }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'varbinary'; readonly length: number };

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** Defaults to false: columns are NOT NULL unless said otherwise. */
  readonly nullable?: boolean;
  readonly default?: number | string | null;
}

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey: readonly string[];
  readonly uniqueKeys?: readonly IndexDef[];
  readonly indexes?: readonly IndexDef[];
  /**
   * Columns of the NDB distribution key (`PARTITION BY KEY (...)`); must be a
   * prefix of the primary key. Rows sharing it live in one partition, so a
   * scan by it touches one data node. Ignored by InnoDB.
   */
  readonly partitionBy?: readonly string[];
}
