import pino from 'pino';
import { Namesystem } from '../../namenode/namesystem';
import { DEFAULT_NAMESYSTEM_CONFIG, type NamesystemConfig } from '../../namenode/namesystem-config';
import { formatMemoryNamespace, memoryDatabase, type MemoryDatabase } from './memory-database';

/** A formatted in-memory namespace and a Namesystem over it (the counters' session is the same MemoryDb). */
export function memoryNamesystem(config: Partial<NamesystemConfig> = {}): MemoryDatabase & { ns: Namesystem } {
  const mem = memoryDatabase();
  formatMemoryNamespace(mem.db);
  const ns = new Namesystem({
    db: mem.db,
    counters: mem.db,
    dal: mem.dal,
    config: { ...DEFAULT_NAMESYSTEM_CONFIG, ...config },
    logger: pino({ level: 'silent' }),
  });
  return { ...mem, ns };
}
