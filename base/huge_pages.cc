#include "base/huge_pages.h"

#include <gperftools/malloc_extension.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <new>
#include <string>

namespace bibkg {
namespace {

// tcmalloc's source of memory: anonymous mappings rounded up to whole huge
// pages, from the reserved pool while it lasts, else aligned to a huge page
// and advised for transparent ones; anything it cannot serve so goes to the
// allocator it replaced. Called by tcmalloc under its own
// lock, so it must not allocate from the heap.
class HugePageSysAllocator : public SysAllocator {
 public:
  explicit HugePageSysAllocator(SysAllocator* fallback) : fallback_(fallback) {}

  void* Alloc(size_t size, size_t* actual_size, size_t alignment) override {
    const size_t rounded = (size + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    if (alignment > kHugePageBytes || rounded < size)
      return Fallback(size, actual_size, alignment);
    // Reserved huge pages first (aligned by the kernel); none reserved, or
    // none left, and the call fails at once.
    if (void* h = mmap(nullptr, rounded, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
        h != MAP_FAILED) {
      if (actual_size != nullptr) *actual_size = rounded;
      return h;
    }
    // One huge page more than wanted, so that an aligned start is inside.
    const size_t span = rounded + kHugePageBytes;
    void* p = mmap(nullptr, span, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return Fallback(size, actual_size, alignment);
    const uintptr_t start = reinterpret_cast<uintptr_t>(p);
    const uintptr_t aligned =
        (start + kHugePageBytes - 1) & ~uintptr_t{kHugePageBytes - 1};
    if (aligned > start) munmap(p, aligned - start);
    const uintptr_t end = aligned + rounded;
    if (start + span > end)
      munmap(reinterpret_cast<void*>(end), start + span - end);
    // Without huge pages (THP off) the memory is still good memory.
    madvise(reinterpret_cast<void*>(aligned), rounded, MADV_HUGEPAGE);
    if (actual_size != nullptr) *actual_size = rounded;
    return reinterpret_cast<void*>(aligned);
  }

 private:
  void* Fallback(size_t size, size_t* actual_size, size_t alignment) {
    return fallback_ != nullptr ? fallback_->Alloc(size, actual_size, alignment)
                                : nullptr;
  }

  SysAllocator* fallback_;
};

}  // namespace

bool UseHugePagesForHeap() {
  MallocExtension* malloc = MallocExtension::instance();
  SysAllocator* current = malloc->GetSystemAllocator();
  if (current == nullptr) return false;  // not tcmalloc
  // Kept for the life of the process, outside the heap it feeds.
  alignas(HugePageSysAllocator) static unsigned char
      storage[sizeof(HugePageSysAllocator)];
  static HugePageSysAllocator* const allocator =
      new (storage) HugePageSysAllocator(current);
  malloc->SetSystemAllocator(allocator);
  malloc->SetMemoryReleaseRate(0);
  return true;
}

size_t HeapBytesInReservedHugePages() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    unsigned long long kib = 0;
    if (std::sscanf(line.c_str(), "HugetlbPages: %llu kB", &kib) == 1)
      return static_cast<size_t>(kib) << 10;
  }
  return 0;
}

}  // namespace bibkg
