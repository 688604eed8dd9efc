import { credentials, makeGenericClientConstructor, Metadata, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { Command } from 'commander';
import type { nnfleet } from '../../protocol/generated/nnfleet-namespace';
import { namespaceDefinition } from '../../protocol/grpc/namespace-definition';
import { userInfo } from 'node:os';

interface WatchFlags {
  grpc: string;
  user: string;
  cursor: string;
  count?: string;
  json?: boolean;
}

/** The call metadata naming the caller (namenode/grpc/call-identity.ts's USER_METADATA). */
const USER_METADATA = 'x-hadoop-user';
const KIND = ['CREATE', 'CLOSE', 'APPEND', 'RENAME', 'METADATA', 'UNLINK', 'TRUNCATE'];

/**
 * `nnfleet admin watch PATH`: prints the committed changes under PATH as
 * they happen (the namespace API's Watch), one line each, prefixed by the
 * cursor to resume from (`--cursor`). It hangs under
 * `nnfleet admin` beside the admin API's subcommands.
 */
export function adminWatchCommand(): Command {
  return new Command('watch')
    .description('print the changes under PATH as they commit (gRPC Watch), resumable with --cursor')
    .argument('<path>', 'the directory (or file) to follow')
    .option('--grpc <host:port>', "a namenode's (or the balancer's) gRPC address (default: `nnfleet admin --grpc`, else 127.0.0.1:8030)")
    .option('--user <name>', 'who to call as (SIMPLE authentication; default: `nnfleet admin --user`, else you)')
    .option('--cursor <cursor>', 'resume after this cursor (a printed one); default: from now', '')
    .option('--count <n>', 'stop after this many batches of changes')
    .option('--json', 'one JSON object per change')
    .action((path: string, flags: Partial<WatchFlags>, cmd: Command) => {
      // Under `nnfleet admin`, the parent may have taken --grpc/--user (commander reads parent options anywhere on the line).
      const parent = (cmd.parent?.opts() ?? {}) as { grpc?: string; user?: string };
      return runWatch(path, { ...flags, grpc: flags.grpc ?? parent.grpc ?? '127.0.0.1:8030', user: flags.user ?? parent.user ?? userInfo().username, cursor: flags.cursor ?? '' });
    });
}

function runWatch(path: string, flags: WatchFlags): Promise<void> {
  const Client = makeGenericClientConstructor(namespaceDefinition, 'Namespace');
  const client = new Client(flags.grpc, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set(USER_METADATA, flags.user);
  const limit = flags.count === undefined ? Infinity : Number(flags.count);
  const call = (client as unknown as { watch(req: nnfleet.namespace.v1.IWatchRequest, md: Metadata): ClientReadableStream<nnfleet.namespace.v1.ChangeBatch> }).watch(
    { path, cursor: flags.cursor },
    metadata,
  );
  let batches = 0;
  return new Promise((resolve, reject) => {
    call.on('data', (b: nnfleet.namespace.v1.ChangeBatch) => {
      for (const e of b.events) {
        const kind = KIND[e.kind ?? 0] ?? String(e.kind);
        process.stdout.write(flags.json ? `${JSON.stringify({ cursor: b.cursor, kind, path: e.path, ...(e.dstPath ? { dst: e.dstPath } : {}) })}\n` : `${b.cursor}\t${kind}\t${e.path}${e.dstPath ? `\t${e.dstPath}` : ''}\n`);
      }
      if (b.events.length > 0 && ++batches >= limit) call.cancel();
    });
    call.on('error', (err: ServiceError) => {
      client.close();
      if (err.code === 1 /* CANCELLED: by us, after --count */ && batches >= limit) resolve();
      else reject(new Error(`watch ${path}: ${err.details || err.message}`));
    });
    call.on('end', () => {
      client.close();
      resolve();
    });
  });
}
