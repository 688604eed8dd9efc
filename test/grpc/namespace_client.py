"""The namespace API's unary calls and its streamed listing from Python's
grpcio (stubs generated from protocol/nnfleet/namespace.proto).

usage: namespace_client.py PROTO_DIR OUT_DIR TARGET USER list PATH
         prints {"count", "first", "last"} of the streamed listing
       namespace_client.py PROTO_DIR OUT_DIR TARGET USER ops ROOT
         runs mkdirs, stat, set permission/owner/times, xattrs, rename,
         delete under ROOT and prints one JSON line per call: its result
         or its status code name
"""
import json
import sys

import grpc

from watch_client import stubs


def main():
    proto_dir, out_dir, target, user, mode, path = sys.argv[1:7]
    pb, pb_grpc = stubs(proto_dir, out_dir)
    md = [("x-hadoop-user", user)]
    with grpc.insecure_channel(target) as channel:
        ns = pb_grpc.NamespaceStub(channel)
        if mode == "list":
            count, first, last = 0, None, None
            for st in ns.List(pb.ListRequest(path=path), metadata=md, timeout=300):
                count += 1
                first = first or st.name
                last = st.name
            print(json.dumps({"count": count, "first": first, "last": last}))
            return

        def call(name, fn, request, who=md):
            try:
                r = fn(request, metadata=who, timeout=30)
                print(json.dumps({"call": name, "ok": True, "result": " ".join(str(r).split())}))
            except grpc.RpcError as err:
                trailer = dict(err.trailing_metadata() or []).get("x-hadoop-exception-class", "")
                print(json.dumps({"call": name, "ok": False, "code": err.code().name, "class": trailer}))

        bob = [("x-hadoop-user", "bob")]
        call("mkdirs", ns.Mkdirs, pb.MkdirsRequest(path=f"{path}/a/b", permission=0o750, create_parent=True))
        call("statDir", ns.Stat, pb.StatRequest(path=f"{path}/a/b"))
        call("statMissing", ns.Stat, pb.StatRequest(path=f"{path}/nope"))
        call("setPermission", ns.SetPermission, pb.SetPermissionRequest(path=f"{path}/a", permission=0o700))
        call("bobMkdirs", ns.Mkdirs, pb.MkdirsRequest(path=f"{path}/a/bob", permission=0o755), bob)
        call("bobSetOwner", ns.SetOwner, pb.SetOwnerRequest(path=f"{path}/a", owner="bob"), bob)
        call("setOwner", ns.SetOwner, pb.SetOwnerRequest(path=f"{path}/a", group="staff"))
        call("setTimes", ns.SetTimes, pb.SetTimesRequest(path=f"{path}/a/b", mtime_ms=1000, atime_ms=-1))
        call("setXAttr", ns.SetXAttr, pb.SetXAttrRequest(path=f"{path}/a", xattr=pb.XAttr(name="user.color", value=b"blue")))
        call("getXAttrs", ns.GetXAttrs, pb.GetXAttrsRequest(path=f"{path}/a", names=["user.color"]))
        call("removeXAttr", ns.RemoveXAttr, pb.RemoveXAttrRequest(path=f"{path}/a", name="user.color"))
        call("mkdirsExisting", ns.Mkdirs, pb.MkdirsRequest(path=f"{path}/a/b/c", permission=0o755, create_parent=False))
        call("renameOntoExisting", ns.Rename, pb.RenameRequest(src=f"{path}/a/b/c", dst=f"{path}/a/b"))
        call("rename", ns.Rename, pb.RenameRequest(src=f"{path}/a/b", dst=f"{path}/a/z"))
        call("deleteNonEmpty", ns.Delete, pb.DeleteRequest(path=f"{path}/a", recursive=False))
        call("delete", ns.Delete, pb.DeleteRequest(path=f"{path}/a", recursive=True))
        call("listMissing", lambda r, metadata, timeout: list(ns.List(r, metadata=metadata, timeout=timeout)), pb.ListRequest(path=f"{path}/a"))


if __name__ == "__main__":
    main()
