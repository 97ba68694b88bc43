#!/usr/bin/env python3
"""Builds the committed seed corpus (Fuzz/corpus/<target>/) from the project's own fixtures:
Tests/IRQTraceTests/Fixtures/real (redistributable recordings, SOURCES.md) and traces/ (generated
here), cut to small files. Run from the repository root; it rewrites Fuzz/corpus/*/seed-* only.
Standard library only (python3 is needed to regenerate the corpus, never to fuzz)."""
import gzip, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL = os.path.join(ROOT, "Tests/IRQTraceTests/Fixtures/real")
TRACES = os.path.join(ROOT, "traces")
OUT = os.path.join(ROOT, "Fuzz/corpus")


def real(name):
    with open(os.path.join(REAL, name), "rb") as f:
        return f.read()


def shipped(name):
    with open(os.path.join(TRACES, name), "rb") as f:
        return f.read()


def gz(data):
    # mtime 0: the same bytes on every run.
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def pcap_records(data, n):
    """The 24-byte header and the first n records of a classic pcap (native traces: 24-byte records)."""
    out, pos = data[:24], 24
    little = data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
    for _ in range(n):
        if pos + 16 > len(data):
            break
        caplen = struct.unpack("<I" if little else ">I", data[pos + 8:pos + 12])[0]
        out += data[pos:pos + 16 + caplen]
        pos += 16 + caplen
    return out


def native_to_text(data, n):
    """The first n records of a native trace as a text trace."""
    lines = ["time_ns,source,kind,count"]
    pos = 24
    for _ in range(n):
        if pos + 24 > len(data):
            break
        sec, ns, caplen, _ = struct.unpack("<IIII", data[pos:pos + 16])
        source, kind, _, count = struct.unpack("<HBBI", data[pos + 16:pos + 24])
        lines.append("%d,%d,%s,%d" % (sec * 1_000_000_000 + ns, source, "level" if kind == 1 else "edge", count))
        pos += 16 + caplen
    return ("\n".join(lines) + "\n").encode()


# Native traces (FuzzNative) and classic pcap captures (FuzzPcap).
for t in ["nic-poisson", "periodic-1khz", "bursty", "two-sources"]:
    write("FuzzNative", t + "-40.pcap", pcap_records(shipped(t + ".pcap"), 40))
write("FuzzNative", "two-sources-cut.pcap", pcap_records(shipped("two-sources.pcap"), 8)[:-5])
write("FuzzNative", "tcp-handshake-nano.pcap", real("tcpdump_tcp-handshake-nano.pcap"))
for f in ["tcpdump_tcp-handshake-nano.pcap", "tcpdump_babel_update_oobr.pcap",
          "libpcap_pcap-invalid-version-1.pcap", "pcapplusplus_nanosecs_big_endian.pcap"]:
    write("FuzzPcap", f, real(f))
write("FuzzPcap", "nic-poisson-20.pcap", pcap_records(shipped("nic-poisson.pcap"), 20))

# pcapng (FuzzPcapng): the two recordings, plus small files built here for the blocks they lack.
for f in ["libpcap_shb-option-too-long.pcapng", "pcapplusplus_many_interfaces-1.pcapng"]:
    write("FuzzPcapng", f, real(f))


def block(order, btype, body):
    body += b"\0" * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack(order + "II", btype, n) + body + struct.pack(order + "I", n)


def option(order, code, value):
    return struct.pack(order + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)


for order, name in [("<", "little"), (">", "big")]:
    shb = block(order, 0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb_ns = block(order, 1, struct.pack(order + "HHI", 1, 0, 0) + option(order, 9, b"\x09")
                   + option(order, 14, struct.pack(order + "q", 3)) + option(order, 0, b""))
    idb_bin = block(order, 1, struct.pack(order + "HHI", 101, 0, 65535) + option(order, 9, b"\x94") + option(order, 0, b""))
    epb = lambda iface, units: block(order, 6, struct.pack(order + "IIIII", iface, units >> 32, units & 0xFFFFFFFF, 4, 4) + b"abcd")
    pb = block(order, 2, struct.pack(order + "HHIIII", 1, 0, 0, 5000, 2, 2) + b"xy")
    spb = block(order, 3, struct.pack(order + "I", 3) + b"zzz")
    other = block(order, 5, b"stat")
    write("FuzzPcapng", "built-" + name + ".pcapng",
          shb + idb_ns + idb_bin + spb + epb(0, 1_000_000_000) + epb(1, 1 << 20) + pb + spb + other + epb(0, 999))

# Text traces (FuzzText): shipped traces' first records as text, one gzip-compressed.
write("FuzzText", "bursty-30.csv", native_to_text(shipped("bursty.pcap"), 30))
write("FuzzText", "two-sources-30.csv", native_to_text(shipped("two-sources.pcap"), 30))
write("FuzzText", "periodic-10.csv.gz", gz(native_to_text(shipped("periodic-1khz.pcap"), 10)))
write("FuzzText", "commented-edge.csv",
      b"# made here\r\ntime_ns,source,kind,count\r\n\r\n 5 , 1 , edge , 2 \r\n7,1023,level,4294967295\r\n9,2,level,1")

# ftrace (FuzzFtrace): the start of the trace-cmd report and its first irq events, plain and gzip;
# a raw `trace` file as the tests write one.
report = gzip.decompress(real("langraph_trace.report.txt.gz")).split(b"\n")
irq = [l for l in report if b"irq_handler_" in l][:24]
snippet = b"\n".join(report[:30] + irq) + b"\n"
write("FuzzFtrace", "langraph-head.txt", snippet)
write("FuzzFtrace", "langraph-head.txt.gz", gz(snippet))
write("FuzzFtrace", "raw-trace.txt", b"""# tracer: nop
#
# entries-in-buffer/entries-written: 3/3   #P:2
#
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
          <idle>-0       [001] d.h1.  1234.500001: irq_handler_entry: irq=27 name=eth0
          <idle>-0       [001] d.h1.  1234.500009: irq_handler_exit: irq=27 ret=handled
     kworker/0:1-33      [000] d.h2.  1234.600001: irq_handler_entry: irq=2048 name=nvme0q1
 kworker/u8:0-77 (  77)  [000] ....   1234.7: irq_handler_entry: irq=0 name=timer
""")

# /proc/interrupts (FuzzProcInterrupts): SPEC \\0 BEFORE \\0 AFTER.
before, after = real("wa_proc_interrupts_before.txt"), real("wa_proc_interrupts_after.txt")
write("FuzzProcInterrupts", "wa-full", b"procint:before=b;after=a;duration_ms=2000\n\0" + before + b"\0" + after)
head = lambda t, n: b"\n".join(t.split(b"\n")[:n]) + b"\n"
write("FuzzProcInterrupts", "wa-head-cpu1",
      b"procint:\n# cpu 1\nbefore = b\nafter = a\nduration_s=2.5;seed=3\n\0" + head(before, 14) + b"\0" + head(after, 14))
write("FuzzProcInterrupts", "spec-only", b"procint:before=/x/b.txt;after=a.txt;duration_us=1500;seed=18446744073709551615")

# Results (FuzzResults): OLD \\0 NEW \\0 THRESHOLDS. Rows of a results file written by irqbench
# (`irqbench run --trace traces/nic-poisson.pcap --strategy all --out FILE`, passed as the first
# argument; without it, the committed results/69309e5de687.csv, whose histograms use the old layout).
source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "results/69309e5de687.csv")
with open(source, "rb") as f:
    lines = f.read().split(b"\n")
hdr, rows = lines[0], [l for l in lines[1:] if l]
two = [r for r in rows if b",guest-end,sim," in r or b",host-end,sim," in r]
pick = [r for r in two if b"_hist_le_" not in r][:60] + [r for r in two if b"request_to_done_hist" in r][:40]
old = b"\n".join([hdr] + pick) + b"\n"
new = old.replace(b",host-end,sim,storm_irqs,0,", b",host-end,sim,storm_irqs,0,1").replace(b"\n", b"\r\n")
write("FuzzResults", "results-self.csv", old)
write("FuzzResults", "results-pair", old + b"\0" + new + b"\0metric,percent,kind\n*_p99,5%,sim\nrequests_per_sec,10,wall\n")
wall = b"\n".join([hdr] + [b"1,c1,t.pcap,ab,service=5000,guest-end,wall,requests_per_sec,%d,%d.500" % (i, 1000 + 37 * i) for i in range(6)]) + b"\n"
write("FuzzResults", "wall-pair", wall + b"\0" + wall.replace(b",10", b",20"))
# A sweep over two parameters, for crossover and the win map.
sweep = [hdr]
for service in (1000, 4000, 16000):
    for harts in (1, 2):
        for strategy, base in ((b"guest-end", 3000), (b"host-end", 9000)):
            value = base + (service if strategy == b"guest-end" else 2000) * harts
            sweep.append(b"1,c1,t.pcap,ab,service=%d;harts=%d,%s,sim,request_to_done_p99,0,%d" % (service, harts, strategy, value))
write("FuzzResults", "sweep.csv", b"\n".join(sweep) + b"\n")
write("FuzzResults", "rates.csv", b"strategy,bucket_ns,bucket,count\nhost-end,1000000,0,5\nhost-end,1000000,3,700\n\"guest,end\",1000000,2,1\n")
print("corpus written to", OUT)
