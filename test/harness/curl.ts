import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './process-fixture';

export interface CurlResult {
  readonly status: number;
  /** Header names lower-cased; of the last response when curl followed redirects. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/**
 * curl as a script would call it (`curl -sS [args] URL`): the status, the
 * headers and the body of the answer. `-L` follows redirects as users do
 * for OPEN; without it the 307 itself is returned.
 */
export async function curl(args: readonly string[]): Promise<CurlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-curl-'));
  try {
    const headerFile = join(dir, 'headers');
    const bodyFile = join(dir, 'body');
    const run = await runProcess('curl', ['-sS', '-D', headerFile, '-o', bodyFile, ...args], { timeoutMs: 60_000 });
    if (run.code !== 0) throw new Error(`curl ${args.join(' ').slice(0, 300)}: exit ${run.code} ${run.stderr.slice(0, 300)}`);
    // With -L the header file holds every response in turn: the last block is the final answer.
    const blocks = readFileSync(headerFile, 'latin1').split(/\r\n\r\n/).filter((b) => b.trim() !== '');
    const lines = (blocks[blocks.length - 1] ?? '').split('\r\n');
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    let body: Buffer;
    try {
      body = readFileSync(bodyFile);
    } catch {
      body = Buffer.alloc(0);
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { status, headers, body, json };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
