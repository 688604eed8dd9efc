import { renderCreateTable } from '../render-ddl';
import { changeLog, changeLogClock, COUNTER_CHANGE_TXN } from '../tables-change-log';
import type { Migration } from './migration';

/** The change log behind gRPC Watch and HDFS inotify: its rows, its clocks, and the counter of its transaction ids. */
export const v0012ChangeLog: Migration = {
  version: 12,
  description: 'change_log, change_log_clock: committed changes in commit order (Watch, getEditsFromTxid)',
  statements: (engine) => [
    renderCreateTable(changeLog, engine),
    renderCreateTable(changeLogClock, engine),
    "INSERT IGNORE INTO change_log_clock (name, value) VALUES ('epoch', 1), ('head', 0), ('trimmed', 0)",
    `INSERT IGNORE INTO counters (name, value) VALUES ('${COUNTER_CHANGE_TXN}', 0)`,
  ],
};
