#!/usr/bin/env python3
"""Writes the protobuf_decode fuzz seeds: valid `k8s\\0` envelopes for a Namespace, a ConfigMap
and a Pod (the shapes decode_test.cc checks). Run from anywhere; rewrites the seed files."""
import os

def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def key(field, wt): return varint(field << 3 | wt)
def num(field, v): return key(field, 0) + varint(v)
def data(field, v):
    v = v.encode() if isinstance(v, str) else v
    return key(field, 2) + varint(len(v)) + v
def entry(field, k, v): return data(field, data(1, k) + data(2, v))
def envelope(api_version, kind, raw):
    return (b"k8s\0" + data(1, data(1, api_version) + data(2, kind)) + data(2, raw) +
            data(3, "") + data(4, ""))

def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protobuf_decode")
    os.makedirs(out, exist_ok=True)
    # managedFields[0] with a time and a raw JSON fieldsV1 (the `any` path through ParseJson).
    managed = data(17, data(1, "kubectl") + data(2, "Apply") + data(3, "v1") +
                   data(4, num(1, 1767225600)) + data(6, "FieldsV1") +
                   data(7, data(1, '{"f:metadata":{"f:labels":{".":{}}}}')))
    ns_meta = (data(1, "team-a") + data(2, "") + num(7, 0) +
               data(8, num(1, -62135596800) + num(2, 0)) + managed)
    seeds = {
        "namespace": envelope("v1", "Namespace", data(1, ns_meta) + data(2, "") + data(3, "")),
    }
    cm_meta = (data(1, "cfg") + data(3, "team-a") + data(8, num(1, 1767225600)) +
               entry(11, "app", "web") + entry(12, "note", "x"))
    seeds["configmap"] = envelope("v1", "ConfigMap", data(1, cm_meta) + entry(2, "a", "1") +
                                  entry(3, "bin", b"\x00\xff") + num(4, 1))
    resources = entry(1, "cpu", data(1, "500m")) + entry(2, "memory", data(1, "1Gi"))
    port = data(1, "http") + num(3, 8080) + data(4, "TCP")
    container = (data(1, "web") + data(2, "nginx") + data(3, "nginx") + data(3, "-g") +
                 data(6, port) + data(8, resources) + num(16, 0))
    spec = (data(2, container) + data(3, "Never") + num(4, 30) +
            data(1, data(1, "scratch") + data(2, data(2, data(1, "Memory")))))
    seeds["pod"] = envelope("v1", "Pod", data(1, data(1, "p") + data(3, "default")) +
                            data(2, spec) + data(3, ""))
    for name, body in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)

if __name__ == "__main__":
    main()
