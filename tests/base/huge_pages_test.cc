#include "base/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace bibkg {
namespace {

struct Mapping {
  uintptr_t start = 0, end = 0;
  std::string vm_flags;  // smaps' two-letter flags: "hg" MADV_HUGEPAGE,
                         // "ht" reserved huge pages
};

// The mapping of this process that holds `address`, from /proc/self/smaps.
Mapping MappingOf(const void* address) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  Mapping current;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long long start = 0, end = 0;
    char dash = 0;
    std::istringstream in(line);
    if (line.find(':') > line.find(' ') &&
        (in >> std::hex >> start >> dash >> end) && dash == '-') {
      inside = a >= start && a < end;
      current = {static_cast<uintptr_t>(start), static_cast<uintptr_t>(end),
                 ""};
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      current.vm_flags = line.substr(8);
      return current;
    }
  }
  return {};
}

// Free pages of the reserved pool (vm.nr_hugepages), in bytes.
size_t FreeReservedHugePageBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    unsigned long long pages = 0;
    if (std::sscanf(line.c_str(), "HugePages_Free: %llu", &pages) == 1)
      return static_cast<size_t>(pages) * kHugePageBytes;
  }
  return 0;
}

bool InHugePages(const Mapping& m) {
  return m.vm_flags.find(" hg") != std::string::npos ||
         m.vm_flags.find(" ht") != std::string::npos;
}

// madvise(MADV_HUGEPAGE) marks a mapping only in a kernel built with
// transparent huge pages (whatever their setting).
bool KernelHasHugePages() {
  return std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled").good();
}

TEST(HugePagesTest, HeapGrowsInWholeAdvisedHugePages) {
  if (!KernelHasHugePages()) GTEST_SKIP() << "kernel without huge pages";
  ASSERT_TRUE(UseHugePagesForHeap()) << "this test links tcmalloc";
  // Larger than anything tcmalloc has in hand: the heap must grow.
  constexpr size_t kBytes = size_t{96} << 20;
  char* p = static_cast<char*>(std::malloc(kBytes));
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, kBytes);  // the memory is real memory
  Mapping m = MappingOf(p);
  ASSERT_NE(m.start, 0u) << "no mapping holds the allocation";
  EXPECT_EQ(m.start % kHugePageBytes, 0u);
  EXPECT_EQ(m.end % kHugePageBytes, 0u);
  EXPECT_GE(m.end - m.start, kBytes);
  EXPECT_TRUE(InHugePages(m)) << "VmFlags:" << m.vm_flags;
  std::free(p);
  // Freed memory is kept for reuse, not handed back page by page.
  char* again = static_cast<char*>(std::malloc(kBytes));
  EXPECT_EQ(MappingOf(again).start, m.start);
  std::free(again);
}

TEST(HugePagesTest, SecondCallKeepsTheAllocator) {
  if (!KernelHasHugePages()) GTEST_SKIP() << "kernel without huge pages";
  ASSERT_TRUE(UseHugePagesForHeap());
  ASSERT_TRUE(UseHugePagesForHeap());
  char* p = static_cast<char*>(std::malloc(size_t{80} << 20));
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(InHugePages(MappingOf(p)));
  std::free(p);
}

// Where the administrator reserved huge pages, the heap takes those first.
TEST(HugePagesTest, ReservedHugePagesFirst) {
  constexpr size_t kBytes = size_t{64} << 20;
  if (FreeReservedHugePageBytes() < 2 * kBytes)
    GTEST_SKIP() << "no reserved huge pages (sysctl vm.nr_hugepages)";
  ASSERT_TRUE(UseHugePagesForHeap());
  char* p = static_cast<char*>(std::malloc(kBytes));
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, kBytes);
  Mapping m = MappingOf(p);
  EXPECT_NE(m.vm_flags.find(" ht"), std::string::npos)
      << "VmFlags:" << m.vm_flags;
  EXPECT_EQ(m.start % kHugePageBytes, 0u);
  EXPECT_GE(HeapBytesInReservedHugePages(), kBytes);
  std::free(p);
}

// Once the pool is used up, transparent huge pages serve the rest.
TEST(HugePagesTest, WithoutReservedPagesTransparentOnes) {
  if (!KernelHasHugePages()) GTEST_SKIP() << "kernel without huge pages";
  ASSERT_TRUE(UseHugePagesForHeap());
  // More than the pool has free, in one piece, and more than the earlier
  // tests freed (which the heap keeps and could hand out again): the pool
  // cannot serve it. Not touched, so it takes no memory.
  const size_t bytes = FreeReservedHugePageBytes() + (size_t{512} << 20);
  char* p = static_cast<char*>(std::malloc(bytes));
  ASSERT_NE(p, nullptr);
  Mapping m = MappingOf(p);
  EXPECT_NE(m.vm_flags.find(" hg"), std::string::npos)
      << "VmFlags:" << m.vm_flags;
  std::free(p);
}

}  // namespace
}  // namespace bibkg
