import { join } from 'node:path';

const KEYS = ['NODE_OPTIONS', 'NNFLEET_CPU_PROFILE'] as const;

/**
 * Runs `start` with the environment that makes the node processes it spawns
 * run under V8's profiler (`cpu-profile-preload.ts`), each writing
 * `profilePath` (`%p` the pid) as it exits; the environment is put back after.
 * Without `profile`, `start` runs unchanged.
 */
export async function startProfiled<T>(profile: boolean, profilePath: string, start: () => Promise<T>): Promise<T> {
  if (!profile) return start();
  const saved = { ...process.env };
  process.env['NODE_OPTIONS'] = `${saved['NODE_OPTIONS'] ?? ''} --require=${join(__dirname, 'cpu-profile-preload.js')}`.trim();
  process.env['NNFLEET_CPU_PROFILE'] = profilePath;
  try {
    return await start();
  } finally {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
