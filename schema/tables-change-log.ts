import type { IndexDef, TableDef } from './table-def';

const bigint = { kind: 'bigint' } as const;

/**
 * The change log (v0012), see namenode/changelog/README.md. One row per
 * change event; a committed transaction's rows share `txn_id` (from the
 * `change_txn` counter, handed out in ranges) and, once the sequencer has
 * ordered the transaction, `position` (HDFS's inotify txid, Watch's
 * cursor). `epoch` and `stamp` are what the sequencer orders by.
 */
export const changeLog: TableDef = {
  name: 'change_log',
  columns: [
    { name: 'txn_id', type: bigint },
    { name: 'seq', type: { kind: 'int' } },
    /** The epoch the writing transaction held shared (change_log_clock 'epoch'). */
    { name: 'epoch', type: bigint },
    /** The database's clock in µs when the row was written, after every lock of its transaction. */
    { name: 'stamp', type: bigint },
    /** Assigned by the sequencer; NULL until then. */
    { name: 'position', type: bigint, nullable: true },
    { name: 'created_ms', type: bigint },
    /** ChangeKind. */
    { name: 'kind', type: { kind: 'tinyint' } },
    { name: 'path', type: { kind: 'varbinary', length: 8000 } },
    /** A rename's destination. */
    { name: 'path2', type: { kind: 'varbinary', length: 8000 }, nullable: true },
    /** The event's other fields as JSON (inode type, owner, size…). */
    { name: 'detail', type: { kind: 'varbinary', length: 2000 } },
  ],
  primaryKey: ['txn_id', 'seq'],
  indexes: [
    { name: 'change_log_position', columns: ['position', 'epoch'] },
    { name: 'change_log_created', columns: ['created_ms'] },
  ],
};

/**
 * The change log's clocks, one row each: 'epoch' (every writer share-locks
 * it while it commits; the sequencer bumps it), 'head' (the last position
 * handed out), 'trimmed' (every position up to it is gone).
 */
export const changeLogClock: TableDef = {
  name: 'change_log_clock',
  columns: [
    { name: 'name', type: { kind: 'varchar', length: 32 } },
    { name: 'value', type: bigint },
  ],
  primaryKey: ['name'],
};

/**
 * change_log's order index (v0018, in place of v0012's change_log_position
 * on (position, epoch)): the sequencer's pass reads the unsequenced rows of
 * closed epochs (position NULL) in (epoch, stamp, txn_id) order, LIMIT
 * 1000. With the stamp in the index (and the primary key after it, as
 * InnoDB's secondary indexes carry it) that read is the index's own order:
 * it stops after the rows it returns. Without it, each pass read and sorted
 * every unsequenced row to return the first thousand, so a backlog of N
 * cost N²/1000 rows read (bench/README.md, stop 57). Reading by position
 * (a cursor's range, trimming) uses its first column as before.
 */
export const changeLogOrderIndex: IndexDef = { name: 'change_log_order', columns: ['position', 'epoch', 'stamp'] };

export const COUNTER_CHANGE_TXN = 'change_txn';
