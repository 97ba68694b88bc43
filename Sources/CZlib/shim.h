// zlib, for reading gzip-compressed trace files (gzopen/gzread).
#include <zlib.h>
