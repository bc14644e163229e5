// Huge pages for a long-running server's heap.
//
// A server holding a multi-gigabyte block cache in 4 KiB pages pays for its
// page tables on every memory access that misses the TLB and, on a virtual
// machine, on every switch into the process: with a 6 GiB cache the same
// empty RPC took about 50 % more CPU than with a 0.7 GiB one (see
// docs/performance.md). Where the kernel hands out huge pages only to memory
// that asks for them (/sys/kernel/mm/transparent_hugepage/enabled =
// "madvise", as on this project's machines), the heap has to ask.
//
// Where the administrator has reserved huge pages for such servers
// (`sysctl vm.nr_hugepages=N`), the heap takes them first: besides the TLB,
// reserved pages are never split, swapped or sampled by the kernel's memory
// monitoring (DAMON and reclaim look only at pages on the LRU lists); on the
// benchmark machine, whose kernel samples with DAMON, that makes the slowest
// searches of a server holding 6 GiB a fifth faster (docs/performance.md,
// tuning knobs).
#ifndef BIBKG_BASE_HUGE_PAGES_H_
#define BIBKG_BASE_HUGE_PAGES_H_

#include <cstddef>

namespace bibkg {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// From now on tcmalloc takes memory from the operating system in whole huge
// pages: reserved ones (MAP_HUGETLB) while the pool has any free, then
// 2 MiB-aligned pieces advised for transparent huge pages
// (madvise(MADV_HUGEPAGE)); freed pages are kept, not handed back one by one
// (which would split the huge pages again). For a process whose memory is
// mostly a cache that stays full. False, with nothing changed, when the
// process's malloc is not tcmalloc. Call it once, early.
bool UseHugePagesForHeap();

// The bytes of this process's memory in reserved huge pages (the kernel's
// HugetlbPages in /proc/self/status).
size_t HeapBytesInReservedHugePages();

}  // namespace bibkg

#endif  // BIBKG_BASE_HUGE_PAGES_H_
