import { existsSync } from 'node:fs';
import { toolPath } from './prerequisite';
import { runProcess, type ProcessResult } from './process-fixture';

/** grpcurl built by scripts/install-grpcurl.sh: a gRPC client that shares no code with nnfleet. */
export const GRPCURL = toolPath('bin/grpcurl');

export interface GrpcurlOptions {
  readonly user?: string;
  readonly data?: unknown;
  readonly extra?: readonly string[];
  /** TLS instead of `-plaintext`, trusting the CA certificate in this PEM file (`-cacert`); '': only the system's CAs. */
  readonly cacert?: string;
}

/** `grpcurl -plaintext|-cacert FILE [-H x-hadoop-user:USER] [-d JSON] ADDRESS ARGS…`. */
export async function grpcurl(address: string, args: readonly string[], o: GrpcurlOptions = {}): Promise<ProcessResult> {
  if (!existsSync(GRPCURL)) throw new Error(`${GRPCURL} is missing: run scripts/install-deps.sh`);
  const transport = o.cacert === undefined ? ['-plaintext'] : o.cacert === '' ? [] : ['-cacert', o.cacert];
  // The request goes on stdin (`-d @`): a big one would not fit in an argument.
  const flags = [...transport, '-max-time', '20', ...(o.user !== undefined ? ['-H', `x-hadoop-user: ${o.user}`] : []), ...(o.data !== undefined ? ['-d', '@'] : []), ...(o.extra ?? [])];
  return runProcess(GRPCURL, [...flags, address, ...args], { timeoutMs: 30_000, ...(o.data !== undefined ? { input: JSON.stringify(o.data) } : {}) });
}

/** The JSON answer of a grpcurl call that must succeed. */
export async function grpcurlJson<T = Record<string, unknown>>(address: string, args: readonly string[], o: Omit<GrpcurlOptions, 'extra'> = {}): Promise<T> {
  const r = await grpcurl(address, args, { ...o, extra: ['-emit-defaults'] });
  if (r.code !== 0) throw new Error(`grpcurl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
