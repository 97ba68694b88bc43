#!/usr/bin/env bash
# Installs what irqbench needs from Debian's packages when it is missing: libpcap (trace I/O),
# zlib (gzip-compressed ftrace files), OpenSSL's libcrypto (SHA-256 of traces), pkg-config (how
# SwiftPM finds those three) and gnuplot (irqbench plot). Safe to run again.
# With --test, also what the test command needs: slurm-wlm and munge (a real local Slurm cluster
# for the distributed sweep test) and GNU parallel (the one-liner of docs/sweeps.md).
set -euo pipefail

# SwiftPM looks each library up with pkg-config (its .pc file and the .pc files it requires) and
# prints "you may be able to install ... using your system-packager" when one is missing, so a
# library counts as present only when both its header and its pkg-config entry are there.
has_pc() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
missing=()
if [ "${1:-}" = "--test" ]; then
    command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
    command -v munged >/dev/null 2>&1 || missing+=(munge)
    command -v parallel >/dev/null 2>&1 || missing+=(parallel)
fi
{ [ -f /usr/include/pcap/pcap.h ] && has_pc libpcap; } || missing+=(libpcap-dev)
{ [ -f /usr/include/zlib.h ] && has_pc zlib; } || missing+=(zlib1g-dev)
{ [ -f /usr/include/openssl/evp.h ] && has_pc libcrypto; } || missing+=(libssl-dev)
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

for pc in libpcap zlib libcrypto; do
    has_pc "$pc" || echo "setup: pkg-config still finds no $pc after installing; the build will warn about it" >&2
done

command -v swift >/dev/null 2>&1 || { echo "setup: swift is not on PATH (expected the Swift 6.3 toolchain, e.g. /opt/swift/usr/bin)" >&2; exit 1; }
