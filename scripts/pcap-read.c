/* A plain libpcap read loop: the ingest limit that docs/performance.md compares whole-process
 * replays with (issue 10: guest-end within 5x of it). Opens the file with nanosecond timestamps
 * like irqbench, touches one payload byte per record so the loop cannot be dropped, and prints
 * the record count.
 *
 *   cc -O2 -o /tmp/pcap-read scripts/pcap-read.c -lpcap && /tmp/pcap-read trace.pcap
 */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned long records = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        records++;
        if (h->caplen > 0) sum += data[0];
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "%s: record %lu: %s\n", argv[1], records + 1, pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    printf("%lu records (payload byte sum %lu)\n", records, sum);
    pcap_close(p);
    return 0;
}
