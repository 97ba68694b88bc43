// libpcap, imported as is. IRQTrace wraps it; nothing else should import CPcap.
#include <pcap/pcap.h>
