#!/usr/bin/env bash
# Side-by-side throughput with TLS: Redis 7.0 and geetcache on this machine,
# in one run, each with a plain port and a TLS port (certificates made here
# with openssl: a CA, the servers' and a client's; client certificates
# required, as both default to), redis-benchmark as the client for both.
# SET and GET on the plain ports, then on the TLS ports, so the table shows
# the cost of TLS on each server and the ratio with TLS.
#
#   bash docs/bench_tls.sh
#   N=100000 CLIENTS=50 PIPELINES="1 16" bash docs/bench_tls.sh
#
# Redis runs with appendonly yes and appendfsync always, as in bench.sh.
set -euo pipefail

N=${N:-200000}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}

source "$(dirname "$0")/sidebyside.sh" redis-benchmark openssl

# make_certs DIR: ca.crt, server.crt/key (localhost, 127.0.0.1), client.crt/key.
make_certs() {
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench CA" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >"$d/server.ext"
  printf 'extendedKeyUsage=clientAuth\n' >"$d/client.ext"
  for who in server client; do
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$who" -keyout "$d/$who.key" -out "$d/$who.csr" 2>/dev/null
    openssl x509 -req -in "$d/$who.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
      -extfile "$d/$who.ext" -out "$d/$who.crt" 2>/dev/null
  done
}

make_certs "$work/tls"
T="$work/tls"
build_geetcache
rport=$(free_port); gport=$(free_port); rtls=$(free_port); gtls=$(free_port); raftport=$(free_port)
mkdir -p "$work/redis" "$work/geet"
redis-server --port "$rport" --tls-port "$rtls" --bind 127.0.0.1 --dir "$work/redis" --save '' \
  --appendonly yes --appendfsync always --logfile "$work/redis.log" \
  --tls-cert-file "$T/server.crt" --tls-key-file "$T/server.key" --tls-ca-cert-file "$T/ca.crt" &
pids+=($!)
"$work/geetcache" --port "$gport" --tls-port "$gtls" --bind 127.0.0.1 --dir "$work/geet" \
  --raft-addr "127.0.0.1:$raftport" --loglevel warning \
  --tls-cert-file "$T/server.crt" --tls-key-file "$T/server.key" --tls-ca-cert-file "$T/ca.crt" 2>"$work/geet.log" &
pids+=($!)
wait_ping "$rport"
wait_ping "$gport"

TLSARGS=(--tls --cert "$T/client.crt" --key "$T/client.key" --cacert "$T/ca.crt")
for p in "$rtls" "$gtls"; do
  redis-cli -p "$p" "${TLSARGS[@]}" ping | grep -q PONG || { echo "bench: no PONG over TLS on $p" >&2; exit 1; }
done

# row LABEL PIPELINE RPORT GPORT ARGS...: Redis then geetcache, one row.
row() {
  local label=$1 pipe=$2 rp=$3 gp=$4
  shift 4
  local r g
  r=$(rps "$rp" "$pipe" "$@")
  g=$(rps "$gp" "$pipe" "$@")
  awk -v l="$label" -v p="$pipe" -v r="$r" -v g="$g" \
    'BEGIN { if (r == "" || g == "") { printf "| %s | %s | %s | %s | failed |\n", l, p, r, g; exit }
             printf "| %s | %s | %.0f | %.0f | %.2f |\n", l, p, r, g, (r > 0 ? g / r : 0) }'
}

echo "geetcache vs Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) with TLS: $(date -u +%F), $(nproc) cores, -c $CLIENTS -n $N"
echo
echo "| test | pipeline | Redis rps | geetcache rps | geetcache/Redis |"
echo "|---|---|---|---|---|"
for p in $PIPELINES; do
  for t in set get; do
    row "$(echo "$t" | tr a-z A-Z) plain" "$p" "$rport" "$gport" -t "$t"
    row "$(echo "$t" | tr a-z A-Z) TLS" "$p" "$rtls" "$gtls" -t "$t" "${TLSARGS[@]}"
  done
done
