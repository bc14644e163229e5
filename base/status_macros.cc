#include "base/status_macros.h"

namespace bibkg::base {

void DcheckFailed(const char* file, int line, const char* cond) {
  std::fprintf(stderr, "%s:%d: internal check failed: %s\n", file, line, cond);
  std::abort();
}

}  // namespace bibkg::base
