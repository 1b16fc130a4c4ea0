// Entry point of the `est` program (server and command-line tool).
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Analyses build results of a few MB per request (a national lägesbild, a grid of counts).
  // glibc would hand such blocks back to the kernel after each request and fault them in again on
  // the next, which costs more than the analysis itself on a virtual machine (~0.6 ms per MB);
  // keep up to 256 MB of freed memory in the process instead, and serve blocks up to 32 MB (the
  // largest glibc allows here) from the heap.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  return est::cli::Run(argc, argv);
}
