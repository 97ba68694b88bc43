#!/usr/bin/env bash
# Installs what irqbench needs from Debian's packages when it is missing: libpcap (trace I/O),
# zlib (gzip-compressed ftrace files), OpenSSL's libcrypto (SHA-256 of traces), pkg-config (how
# SwiftPM finds those three) and gnuplot (irqbench plot). Safe to run again.
# With --test, also what the test command needs: slurm-wlm and munge (a real local Slurm cluster
# for the distributed sweep test) and GNU parallel (the one-liner of docs/sweeps.md).
set -euo pipefail

missing=()
if [ "${1:-}" = "--test" ]; then
    command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
    command -v munged >/dev/null 2>&1 || missing+=(munge)
    command -v parallel >/dev/null 2>&1 || missing+=(parallel)
fi
[ -f /usr/include/pcap/pcap.h ] || missing+=(libpcap-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ -f /usr/include/openssl/evp.h ] || missing+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (expected the Swift 6.3 toolchain, e.g. /opt/swift/usr/bin)" >&2; exit 1; }
