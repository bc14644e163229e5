"""Talks to a running bibkg server from Python's grpcio: proves that a client
in another language works, and that health checking and server reflection
answer as grpcurl needs them.

usage: /usr/bin/python3 grpc_client.py HOST:PORT GENERATED_DIR
GENERATED_DIR holds bibkg/v1/bibkg_pb2.py (protoc --python_out).
Prints one line per check; exits non-zero on the first failure.
"""
import sys

import grpc

address, generated = sys.argv[1], sys.argv[2]
sys.path.insert(0, generated)
from bibkg.v1 import bibkg_pb2  # noqa: E402

channel = grpc.insecure_channel(address)
grpc.channel_ready_future(channel).result(timeout=10)


def call(method, request, response_type):
    rpc = channel.unary_unary(
        "/bibkg.v1.Bibkg/" + method,
        request_serializer=request.__class__.SerializeToString,
        response_deserializer=response_type.FromString)
    return rpc(request, timeout=10)


def check(condition, message):
    if not condition:
        print("FAILED: " + message)
        sys.exit(1)
    print("ok: " + message)


work = call("GetWork", bibkg_pb2.GetWorkRequest(id="doi:10.1080/15309576.2024.2302059"),
            bibkg_pb2.Work)
check(work.summary.title.startswith("City Managers as Digital Transformation Leaders"),
      "GetWork by DOI returns the catalog record")
check(work.volume == "47" and work.issue == "4", "volume and issue")

hits = call("Search", bibkg_pb2.SearchRequest(query="digitalisering kommune"),
            bibkg_pb2.SearchResponse)
check(hits.hits[0].work.type == "http://purl.org/cerif/frapo/Project",
      "Search finds the Norwegian project first")

related = call("RelatedWorks", bibkg_pb2.RelatedWorksRequest(ids=["10.1080/15309576.2024.2302059"]),
               bibkg_pb2.RelatedWorksResponse)
check(len(related.works) >= 3 and all(w.reasons for w in related.works),
      "RelatedWorks answers with reasons")

try:
    call("GetWork", bibkg_pb2.GetWorkRequest(id="10.9999/unknown"), bibkg_pb2.Work)
    check(False, "unknown DOI must fail")
except grpc.RpcError as e:
    check(e.code() == grpc.StatusCode.NOT_FOUND, "unknown work is NOT_FOUND: " + e.details())

# grpc.health.v1.Health/Check, HealthCheckRequest{service: "bibkg.v1.Bibkg"}:
# field 1 (string) -> response field 1 (enum) SERVING = 1.
service = b"bibkg.v1.Bibkg"
health = channel.unary_unary("/grpc.health.v1.Health/Check")(
    b"\x0a" + bytes([len(service)]) + service, timeout=10)
check(health == b"\x08\x01", "health check says SERVING")

# Server reflection: ServerReflectionRequest{list_services: ""} is field 7.
reflect = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
answers = list(reflect(iter([b"\x3a\x00"]), timeout=10))
check(len(answers) == 1 and b"bibkg.v1.Bibkg" in answers[0] and b"grpc.health.v1.Health" in answers[0],
      "reflection lists bibkg.v1.Bibkg and grpc.health.v1.Health")
print("all checks passed")
