// The CORDIS CSV tables, read with libcsv.
#include <csv.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "indexer/readers/projects/cordis.h"
#include "indexer/readers/projects/project_internal.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {
namespace {

using project_internal::Field;
using project_internal::MapCordisFlat;
using project_internal::MapCordisPublication;

// Largest CSV field; a longer one stops the file (libcsv cannot resume).
constexpr size_t kMaxCsvFieldBytes = 64u << 20;

void* BoundedRealloc(void* p, size_t n) {
  if (n > kMaxCsvFieldBytes) return nullptr;
  return std::realloc(p, n);
}

struct CsvState {
  std::vector<std::string> row;
  std::function<absl::Status(std::vector<std::string>&)> on_row;
  absl::Status status;
};

void OnField(void* data, size_t len, void* state) {
  auto* s = static_cast<CsvState*>(state);
  s->row.emplace_back(data ? static_cast<const char*>(data) : "", len);
}

void OnRow(int, void* state) {
  auto* s = static_cast<CsvState*>(state);
  if (s->status.ok()) s->status = s->on_row(s->row);
  s->row.clear();
}

std::string HeaderName(std::string_view h) {
  std::string s = text::CollapseSpace(h);
  if (s.starts_with("\xEF\xBB\xBF")) s.erase(0, 3);
  return s;
}

// A CORDIS programme row: labels of one programme in one language.
Record MapCordisProgramme(const Field& get, const Source& source,
                          const std::string& where) {
  Record rec;
  std::string code = text::CollapseSpace(get("code"));
  if (code.empty()) code = text::CollapseSpace(get("id"));
  std::string lang = text::CollapseSpace(get("language"));
  rec.id = code.empty() ? where : absl::StrCat(code, "/", lang);
  rec.graph = GraphFor(source, rec.id);
  if (code.empty()) {
    rec.Fail("code", "programme row without a code");
    return rec;
  }
  const std::string funder = text::GrantSchemeFunder("cordis");
  auto node = [&](const std::string& c) {
    return text::MintIri("programme", absl::StrCat(funder, "|", c));
  };
  std::string scheme = node(code);
  rec.AddIri(scheme, vocab::kRdfType, vocab::kFundingScheme);
  rec.AddLiteral(scheme, vocab::kNotation, code);
  rec.AddLiteral(scheme, vocab::kPrefLabel, text::CollapseSpace(get("title")),
                 lang);
  // The short titles are English in every language's row: not tagged.
  rec.AddLiteral(scheme, vocab::kAltLabel,
                 text::CollapseSpace(get("shortTitle")));
  std::string parent = text::CollapseSpace(get("parentProgramme"));
  if (!parent.empty() && parent != code)
    rec.AddIri(scheme, vocab::kBroader, node(parent));
  return rec;
}

}  // namespace

bool LooksLikeProjectCsv(std::string_view head) {
  std::string first =
      absl::AsciiStrToLower(std::string(head.substr(0, head.find('\n'))));
  if (first.starts_with("\xEF\xBB\xBF")) first.erase(0, 3);
  bool id_first = first.starts_with("\"id\"") || first.starts_with("id;") ||
                  first.starts_with("id,");
  auto has = [&](const char* s) { return first.find(s) != std::string::npos; };
  return (id_first && has("title") &&
          (has("frameworkprogramme") || has("ecmaxcontribution"))) ||
         (has("projectid") && has("doi") && has("title"));
}

absl::Status ReadProjectCsv(
    const Source& source, std::FILE* in,
    const std::function<absl::Status(Record&)>& on_record) {
  // The separator: whichever of ';' and ',' the header line has more of.
  char buf[1 << 16];
  size_t n = std::fread(buf, 1, sizeof buf, in);
  std::string_view first(buf, n);
  first = first.substr(0, first.find('\n'));
  unsigned char sep = std::count(first.begin(), first.end(), ';') >=
                              std::count(first.begin(), first.end(), ',')
                          ? ';'
                          : ',';
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0)
    return absl::ResourceExhaustedError("cannot start the CSV parser");
  csv_set_delim(&parser, sep);
  csv_set_realloc_func(&parser, BoundedRealloc);
  std::vector<std::string> header;
  bool programme_table = false, publication_table = false;
  uint64_t row_no = 0;
  CsvState state;
  state.on_row = [&](std::vector<std::string>& row) -> absl::Status {
    if (header.empty()) {
      for (const std::string& h : row) header.push_back(HeaderName(h));
      bool has_id =
          std::find(header.begin(), header.end(), "id") != header.end();
      auto has = [&](const char* h) {
        return std::find(header.begin(), header.end(), h) != header.end();
      };
      programme_table = has("parentProgramme") && !has("ecMaxContribution");
      publication_table = has("projectID") && has("doi");
      if (!has_id) {
        Record rec;
        rec.id = "header";
        rec.Fail("", "no \"id\" column in the header");
        BIBKG_RETURN_IF_ERROR(on_record(rec));
        return absl::CancelledError("no id column");
      }
      return absl::OkStatus();
    }
    ++row_no;
    if (row.size() == 1 && text::CollapseSpace(row[0]).empty())
      return absl::OkStatus();
    std::string where = absl::StrCat("row ", row_no);
    if (row.size() != header.size()) {
      Record rec;
      rec.id = where;
      rec.Fail("", absl::StrCat("row has ", row.size(), " fields, the header ",
                                header.size()));
      return on_record(rec);
    }
    Field get = [&](std::string_view name) -> std::string {
      for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return row[i];
      }
      return "";
    };
    Record rec;
    if (programme_table) {
      rec = MapCordisProgramme(get, source, where);
    } else if (publication_table) {
      rec = MapCordisPublication(get, source, where);
    } else {
      rec = MapCordisFlat(get, source, where);
    }
    return on_record(rec);
  };
  absl::Status result;
  auto feed = [&](const char* data, size_t len) -> bool {
    size_t used = csv_parse(&parser, data, len, OnField, OnRow, &state);
    if (used != len) {
      Record rec;
      rec.id = absl::StrCat("row ", row_no + 1);
      rec.Fail("",
               absl::StrCat("CSV: ", csv_strerror(csv_error(&parser)),
                            " (fields are limited to ", kMaxCsvFieldBytes >> 20,
                            " MiB); the rest of the file is not read"));
      result = on_record(rec);
      return false;
    }
    return state.status.ok();
  };
  bool go = feed(buf, n);
  while (go && (n = std::fread(buf, 1, sizeof buf, in)) > 0) go = feed(buf, n);
  if (go) csv_fini(&parser, OnField, OnRow, &state);
  csv_free(&parser);
  if (!result.ok()) return result;
  if (absl::IsCancelled(state.status)) return absl::OkStatus();
  BIBKG_RETURN_IF_ERROR(state.status);
  return std::ferror(in) ? absl::UnavailableError("read error")
                         : absl::OkStatus();
}

}  // namespace bibkg::indexer
