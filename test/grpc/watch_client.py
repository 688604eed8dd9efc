"""A Watch consumer written with Python's grpcio, as an application outside
the JVM would: stubs generated from protocol/nnfleet/namespace.proto by
grpc_tools.protoc, one Watch call from a cursor.

usage: watch_client.py PROTO_DIR OUT_DIR TARGET USER PATH CURSOR MODE ARG
  MODE batches N: read N batches that carry events, then hang up (a disconnect)
  MODE until P:   read until an event's path is P, then hang up
Prints one JSON line per event ({"cursor", "position", "kind", "path", "dst"}),
then {"last": cursor} for the last batch read (events or progress). A status
error prints {"error": CODE_NAME, "details": ...} and exits 0.
"""
import importlib
import json
import sys

from grpc_tools import protoc


def stubs(proto_dir, out_dir):
    if protoc.main(["protoc", f"-I{proto_dir}", f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", f"{proto_dir}/namespace.proto"]) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out_dir)
    return importlib.import_module("namespace_pb2"), importlib.import_module("namespace_pb2_grpc")


def main():
    proto_dir, out_dir, target, user, path, cursor, mode, arg = sys.argv[1:9]
    import grpc

    pb, pb_grpc = stubs(proto_dir, out_dir)
    kinds = {v.number: v.name.replace("CHANGE_KIND_", "") for v in pb.DESCRIPTOR.enum_types_by_name["ChangeKind"].values}
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.NamespaceStub(channel)
        call = stub.Watch(pb.WatchRequest(path=path, cursor=cursor), metadata=[("x-hadoop-user", user)], timeout=120)
        with_events = 0
        last = cursor
        try:
            for batch in call:
                last = batch.cursor
                for e in batch.events:
                    print(json.dumps({"cursor": batch.cursor, "position": batch.position, "kind": kinds[e.kind], "path": e.path, "dst": e.dst_path}), flush=True)
                if batch.events:
                    with_events += 1
                if mode == "batches" and with_events >= int(arg):
                    break
                if mode == "until" and any(e.path == arg for e in batch.events):
                    break
        except grpc.RpcError as err:
            print(json.dumps({"error": err.code().name, "details": err.details()}), flush=True)
            return
        finally:
            call.cancel()
        print(json.dumps({"last": last}), flush=True)


if __name__ == "__main__":
    main()
