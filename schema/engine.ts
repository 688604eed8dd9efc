/**
 * The storage engines nnfleet renders its schema for: InnoDB on MariaDB or
 * Galera (development, tests, small sites), NDBCLUSTER on MySQL Cluster
 * (production).
 */
export type Engine = 'innodb' | 'ndb';
