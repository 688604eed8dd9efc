import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { nnfleet } from '../../protocol/generated/nnfleet-namespace';
import { XAttrSetFlag } from '../domain/xattr';
import { NamesystemError } from '../errors';
import { prefixedXAttrName, XATTR_NAME_PATTERN, xattrOfName } from '../domain/xattr-name';
import type { Namesystem } from '../namesystem';
import type { Caller } from '../security/caller';
import type { CallerResolver } from '../security/caller-resolver';
import { claimedIdentityOf } from './call-identity';
import { grpcErrorOf } from './grpc-errors';
import type { GrpcServiceRegistration } from './grpc-service';
import { NAMESPACE_SERVICE, namespaceDefinition } from '../../protocol/grpc/namespace-definition';
import { fileStatusMessage } from './namespace-messages';
import { runWatch } from './namespace-watch';
import { writeMessage } from './stream-write';

type V1 = typeof nnfleet.namespace.v1;
type Msg<K extends keyof V1> = V1[K] extends abstract new (...args: never[]) => infer T ? T : never;

export interface NamespaceServiceOptions {
  readonly ns: Namesystem;
  readonly callers: CallerResolver;
  readonly logger: Logger;
}

const xattrName = (text: string) => {
  const x = xattrOfName(text);
  if (!x) throw new NamesystemError('IllegalArgument', `xattr name "${text}" does not match ${XATTR_NAME_PATTERN}`);
  return x;
};

/**
 * An int64 field as the generated decoder hands it over: a Long object
 * whenever the long package is installed (it is, with @grpc/proto-loader),
 * whatever the --force-number typings say.
 */
const int64 = (v: number | { toNumber(): number }): number => (typeof v === 'number' ? v : v.toNumber());

/**
 * nnfleet.namespace.v1.Namespace: each method is the Namesystem's, as the
 * caller the metadata names (call-identity.ts, under the proxy-user
 * rules), its errors mapped once (grpc-errors.ts).
 */
export function namespaceService(o: NamespaceServiceOptions): GrpcServiceRegistration {
  const { ns, logger } = o;
  const callerOf = (call: { metadata: ServerUnaryCall<unknown, unknown>['metadata']; getPeer(): string }): Caller => o.callers.resolve(claimedIdentityOf(call.metadata, call.getPeer()));
  const unary =
    <K extends keyof V1, R>(fn: (caller: Caller, req: Msg<K>) => Promise<R>) =>
    (call: ServerUnaryCall<Msg<K>, R>, done: sendUnaryData<R>): void => {
      Promise.resolve()
        .then(() => fn(callerOf(call), call.request))
        .then(
          (r) => done(null, r),
          (e: unknown) => done(grpcErrorOf(e, logger)),
        );
    };
  const stream =
    <K extends keyof V1, R>(fn: (caller: Caller, call: ServerWritableStream<Msg<K>, R>) => Promise<void>) =>
    (call: ServerWritableStream<Msg<K>, R>): void => {
      Promise.resolve()
        .then(() => fn(callerOf(call), call))
        .then(
          () => call.end(),
          // A status the handler chose itself (a Watch cursor's) goes as it is; everything else through the one mapping.
          (e: unknown) => call.emit('error', typeof (e as { code?: unknown }).code === 'number' ? e : grpcErrorOf(e, logger)),
        );
    };
  const implementation: UntypedServiceImplementation = {
    Stat: unary<'StatRequest', nnfleet.namespace.v1.IStatResponse>(async (caller, req) => {
      const s = await ns.getFileLinkInfo(caller, req.path);
      return s ? { status: fileStatusMessage(s, req.path) } : {};
    }),
    List: stream<'ListRequest', nnfleet.namespace.v1.IFileStatus>(async (caller, call) => {
      // One page of the Namesystem's listing at a time: memory stays one page whatever the directory's size.
      let after = call.request.startAfter;
      for (;;) {
        const page = await ns.getListing(caller, call.request.path, after);
        if (!page) throw new NamesystemError('FileNotFound', `File ${call.request.path} does not exist.`);
        for (const entry of page.entries) if (!(await writeMessage(call, fileStatusMessage(entry)))) return;
        const last = page.entries[page.entries.length - 1];
        if (page.remaining === 0 || !last || last.name === '') return;
        after = last.name;
      }
    }),
    Mkdirs: unary<'MkdirsRequest', nnfleet.namespace.v1.IMkdirsResponse>(async (caller, req) => ({
      created: await ns.mkdirs(caller, req.path, req.permission === 0 ? 0o755 : req.permission, req.createParent),
    })),
    Rename: unary<'RenameRequest', nnfleet.namespace.v1.IRenameResponse>(async (caller, req) => {
      await ns.rename2(caller, req.src, req.dst, req.overwrite);
      return {};
    }),
    Delete: unary<'DeleteRequest', nnfleet.namespace.v1.IDeleteResponse>(async (caller, req) => ({ deleted: await ns.delete(caller, req.path, req.recursive) })),
    SetPermission: unary<'SetPermissionRequest', nnfleet.namespace.v1.ISetPermissionResponse>(async (caller, req) => {
      await ns.setPermission(caller, req.path, req.permission);
      return {};
    }),
    SetOwner: unary<'SetOwnerRequest', nnfleet.namespace.v1.ISetOwnerResponse>(async (caller, req) => {
      await ns.setOwner(caller, req.path, req.owner === '' ? undefined : req.owner, req.group === '' ? undefined : req.group);
      return {};
    }),
    SetTimes: unary<'SetTimesRequest', nnfleet.namespace.v1.ISetTimesResponse>(async (caller, req) => {
      await ns.setTimes(caller, req.path, int64(req.mtimeMs), int64(req.atimeMs));
      return {};
    }),
    GetXAttrs: unary<'GetXAttrsRequest', nnfleet.namespace.v1.IGetXAttrsResponse>(async (caller, req) => {
      const found = await ns.getXAttrs(caller, req.path, req.names.map(xattrName));
      return { xattrs: found.map((x) => ({ name: prefixedXAttrName(x), value: x.value ?? Buffer.alloc(0) })) };
    }),
    SetXAttr: unary<'SetXAttrRequest', nnfleet.namespace.v1.ISetXAttrResponse>(async (caller, req) => {
      if (!req.xattr) throw new NamesystemError('IllegalArgument', 'SetXAttr needs an xattr');
      const flags = (req.create ? XAttrSetFlag.CREATE : 0) | (req.replace ? XAttrSetFlag.REPLACE : 0) || XAttrSetFlag.CREATE | XAttrSetFlag.REPLACE;
      await ns.setXAttr(caller, req.path, { ...xattrName(req.xattr.name ?? ''), value: Buffer.from(req.xattr.value ?? new Uint8Array(0)) }, flags);
      return {};
    }),
    RemoveXAttr: unary<'RemoveXAttrRequest', nnfleet.namespace.v1.IRemoveXAttrResponse>(async (caller, req) => {
      await ns.removeXAttr(caller, req.path, xattrName(req.name));
      return {};
    }),
    Watch: stream<'WatchRequest', nnfleet.namespace.v1.IChangeBatch>(async (caller, call) => {
      if (!ns.changeFeed) throw new NamesystemError('Unsupported', 'this namenode has no change log');
      await runWatch(call, ns, ns.changeFeed, caller, logger.child({ c: 'watch' }));
    }),
  };
  return { name: NAMESPACE_SERVICE, definition: namespaceDefinition, implementation };
}
