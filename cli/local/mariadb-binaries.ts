import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface MariaDbBinaries {
  readonly mariadbd: string;
  readonly installDb: string;
}

/**
 * Debian puts the server in /usr/sbin, often not on a non-root PATH; other
 * layouts use /usr/libexec or /usr/local. Older packages name them mysqld and
 * mysql_install_db. NNFLEET_MARIADBD / NNFLEET_MARIADB_INSTALL_DB override.
 */
const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/libexec', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];

export function findMariaDbBinaries(env: NodeJS.ProcessEnv = process.env): MariaDbBinaries {
  return {
    mariadbd: find('NNFLEET_MARIADBD', ['mariadbd', 'mysqld'], env),
    installDb: find('NNFLEET_MARIADB_INSTALL_DB', ['mariadb-install-db', 'mysql_install_db'], env),
  };
}

function find(envName: string, names: readonly string[], env: NodeJS.ProcessEnv): string {
  const override = env[envName];
  if (override) {
    if (!isExecutable(override)) throw new Error(`${envName}=${override} is not an executable file`);
    return override;
  }
  const dirs = [...SEARCH_DIRS, ...(env['PATH'] ?? '').split(delimiter).filter(Boolean)];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error(
    `cannot find ${names.join(' or ')} in ${SEARCH_DIRS.join(', ')} or PATH; ` +
      `install mariadb-server (apt-get install mariadb-server) or set ${envName}`,
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
