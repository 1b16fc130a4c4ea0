// Entry point of the `est` program (server and command-line tool).
#include <malloc.h>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // Analyses build results of a few MB per request (a national lägesbild, a grid of counts).
  // glibc would hand such blocks back to the kernel after each request and fault them in again on
  // the next, which costs more than the analysis itself on a virtual machine (~0.6 ms per MB);
  // keep up to 64 MB of freed memory at the top of a heap instead, and serve blocks up to 32 MB
  // (the largest glibc allows here) from the heap. These settings are glibc's: the release build
  // links jemalloc (CMakeLists.txt), which keeps freed pages for 10 s and then returns them, and
  // ignores them; they hold for the sanitizer builds.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  return est::cli::Run(argc, argv);
}
