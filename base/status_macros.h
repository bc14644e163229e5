// Short forms for passing an absl::Status up the stack, and a debug check for
// broken internal invariants (a caller's mistake returns InvalidArgument
// instead; see STYLE.md section 3).
#ifndef BIBKG_BASE_STATUS_MACROS_H_
#define BIBKG_BASE_STATUS_MACROS_H_

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BIBKG_STATUS_CONCAT_INNER_(a, b) a##b
#define BIBKG_STATUS_CONCAT_(a, b) BIBKG_STATUS_CONCAT_INNER_(a, b)

// Returns from the current function when `expr` (an absl::Status) is not OK.
#define BIBKG_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::absl::Status bibkg_status_ = (expr);         \
    if (!bibkg_status_.ok()) return bibkg_status_; \
  } while (0)

// `lhs = value` of an absl::StatusOr<T>, or returns its status when not OK.
#define BIBKG_ASSIGN_OR_RETURN(lhs, expr)                                  \
  BIBKG_ASSIGN_OR_RETURN_IMPL_(BIBKG_STATUS_CONCAT_(bibkg_sor_, __LINE__), \
                               lhs, expr)
#define BIBKG_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

namespace bibkg::base {
[[noreturn]] void DcheckFailed(const char* file, int line, const char* cond);
}  // namespace bibkg::base

// Aborts in debug builds when an internal invariant does not hold.
#ifdef NDEBUG
#define BIBKG_DCHECK(cond) \
  do {                     \
  } while (false && (cond))
#else
#define BIBKG_DCHECK(cond) \
  ((cond) ? (void)0 : ::bibkg::base::DcheckFailed(__FILE__, __LINE__, #cond))
#endif

#endif  // BIBKG_BASE_STATUS_MACROS_H_
