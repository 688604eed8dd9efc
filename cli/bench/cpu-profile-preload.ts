/**
 * Loaded with `--require` (through NODE_OPTIONS, which refuses --cpu-prof
 * itself) into the namenode `npm run profile` starts: V8's sampling
 * profiler from the first line, written as a .cpuprofile to
 * $NNFLEET_CPU_PROFILE when the process exits (`%p` in it becomes the
 * pid, so several processes started with one environment write apart). The in-process inspector
 * session answers synchronously, so an 'exit' handler can still write it.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const out = process.env['NNFLEET_CPU_PROFILE']?.replace('%p', String(process.pid));
if (out) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env['NNFLEET_CPU_PROFILE_INTERVAL_US'] ?? 1000) });
  session.post('Profiler.start');
  process.once('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(out, JSON.stringify(result.profile));
    });
  });
}
