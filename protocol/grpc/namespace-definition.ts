import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { nnfleet } from '../generated/nnfleet-namespace';

const N = nnfleet.namespace.v1;

/** The fully qualified name of the namespace service (protocol/nnfleet/namespace.proto). */
export const NAMESPACE_SERVICE = 'nnfleet.namespace.v1.Namespace';

/** What protobufjs generates for each message: encode and decode. */
interface MessageType<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

function method<Req, Res>(name: string, req: MessageType<Req>, res: MessageType<Res>, responseStream = false): MethodDefinition<Req, Res> {
  return {
    path: `/${NAMESPACE_SERVICE}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: (m) => Buffer.from(req.encode(m).finish()),
    requestDeserialize: (b) => req.decode(b),
    responseSerialize: (m) => Buffer.from(res.encode(m).finish()),
    responseDeserialize: (b) => res.decode(b),
    originalName: name.charAt(0).toLowerCase() + name.slice(1),
  };
}

/** The grpc-js definition of nnfleet.namespace.v1.Namespace, from the generated messages (no .proto is read at run time). */
export const namespaceDefinition: ServiceDefinition = {
  Stat: method('Stat', N.StatRequest, N.StatResponse),
  List: method('List', N.ListRequest, N.FileStatus, true),
  Mkdirs: method('Mkdirs', N.MkdirsRequest, N.MkdirsResponse),
  Rename: method('Rename', N.RenameRequest, N.RenameResponse),
  Delete: method('Delete', N.DeleteRequest, N.DeleteResponse),
  SetPermission: method('SetPermission', N.SetPermissionRequest, N.SetPermissionResponse),
  SetOwner: method('SetOwner', N.SetOwnerRequest, N.SetOwnerResponse),
  SetTimes: method('SetTimes', N.SetTimesRequest, N.SetTimesResponse),
  GetXAttrs: method('GetXAttrs', N.GetXAttrsRequest, N.GetXAttrsResponse),
  SetXAttr: method('SetXAttr', N.SetXAttrRequest, N.SetXAttrResponse),
  RemoveXAttr: method('RemoveXAttr', N.RemoveXAttrRequest, N.RemoveXAttrResponse),
  Watch: method('Watch', N.WatchRequest, N.ChangeBatch, true),
};
