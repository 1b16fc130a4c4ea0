// Entry point of the `est` program (server and command-line tool).
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Analyses build results of a few MB per request (a national lägesbild, a grid of counts).
  // glibc would hand such blocks back to the kernel after each request and fault them in again on
  // the next, which costs more than the analysis itself on a virtual machine (~0.6 ms per MB);
  // keep up to 64 MB of freed memory at the top of a heap instead, and serve blocks up to 32 MB
  // (the largest glibc allows here) from the heap. Freed memory inside a heap is not covered by
  // that bound: `est serve` hands it back once a minute (malloc_trim, serve_cmd.cc); a 10-minute
  // soak at 256 MB kept it growing to 240 MB (docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  return est::cli::Run(argc, argv);
}
