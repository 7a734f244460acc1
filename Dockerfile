# geetcache container image: a static binary on distroless, run as non-root.
#
#   docker build -t geetcache .
#   docker run -d -p 6379:6379 -v geetcache-data:/data -e GEETCACHE_REQUIREPASS=... geetcache
#
# Clients outside the container need that password: protected mode (on by
# default, as in Redis) refuses non-loopback clients while there is none
# (or pass --protected-mode no).
# Flags after the image name are appended to the entrypoint's (a flag given
# twice takes its last value); GEETCACHE_* variables set the others.
# docs/operations.md ("Docker", "Kubernetes") has the details.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# Only the Go packages: no .git, no locally built binaries, no data.
# Every package directory the binary needs (cmd/geetcache's
# TestDockerfileCopiesEveryPackage checks this list against go list -deps).
COPY acl/ acl/
COPY cluster/ cluster/
COPY cmd/ cmd/
COPY datatypes/ datatypes/
COPY discovery/ discovery/
COPY geohash/ geohash/
COPY metrics/ metrics/
COPY protocol/ protocol/
COPY pubsub/ pubsub/
COPY scripting/ scripting/
COPY server/ server/
COPY tlsconf/ tlsconf/
RUN CGO_ENABLED=0 go build -trimpath -o /out/geetcache ./cmd/geetcache && mkdir /out/data

# distroless/static: CA certificates, tzdata and a "nonroot" user (65532)
# and nothing else (no shell, no package manager); the binary needs no libc.
FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/geetcache /usr/local/bin/geetcache
# A new named volume copies this directory's owner, so nonroot can write it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
# 6379: Redis clients. 16379: Raft, when --raft-addr names a reachable host.
EXPOSE 6379 16379
ENTRYPOINT ["/usr/local/bin/geetcache", "--bind", "0.0.0.0", "--dir", "/data"]
