#include "indexer/readers/marc.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/readers/marc_internal.h"
#include "text/normalize.h"

namespace bibkg::indexer {

std::string_view MarcField::Sub(char code) const {
  for (const MarcSubfield& s : subfields) {
    if (s.code == code) return s.value;
  }
  return {};
}

std::vector<std::string_view> MarcField::All(char code) const {
  std::vector<std::string_view> out;
  for (const MarcSubfield& s : subfields) {
    if (s.code == code) out.push_back(s.value);
  }
  return out;
}

std::string MarcField::Join(std::string_view codes) const {
  std::string out;
  for (const MarcSubfield& s : subfields) {
    if (codes.find(s.code) == std::string_view::npos) continue;
    if (!out.empty()) out.push_back(' ');
    out += s.value;
  }
  return out;
}

const MarcField* MarcRecord::First(std::string_view tag) const {
  for (const MarcField& f : fields) {
    if (f.tag == tag) return &f;
  }
  return nullptr;
}

std::vector<const MarcField*> MarcRecord::All(std::string_view tag) const {
  std::vector<const MarcField*> out;
  for (const MarcField& f : fields) {
    if (f.tag == tag) out.push_back(&f);
  }
  return out;
}

namespace {

std::string GraphIri(const MarcRecord& marc, const Source& source,
                     std::string* id) {
  const MarcField* f001 = marc.First("001");
  const MarcField* f003 = marc.First("003");
  std::string control = f001 ? text::CollapseSpace(f001->data) : "";
  if (control.empty()) {
    *id = absl::StrCat(marc.number);
    return GraphFor(source, *id).value;
  }
  std::string org = f003 ? text::CollapseSpace(f003->data) : "";
  *id = control;
  return GraphFor({source.path,
                   absl::StrCat("urn:bibkg:marc:",
                                org.empty() ? "-" : text::IriEscape(org))},
                  control)
      .value;
}

// The kind of a record that is counted and skipped, by leader/06; null for
// bibliographic and authority records.
const char* SkippedKind(char type) {
  switch (type) {
    case 'u':
    case 'v':
    case 'x':
    case 'y':
      return "holdings";
    case 'w':
      return "classification";
    case 'q':
      return "community information";
    default:
      return nullptr;
  }
}

}  // namespace

Record MapMarcRecord(const MarcRecord& marc, const Source& source,
                     const std::string& graph) {
  Record rec;
  // About forty triples a bibliographic record: one allocation for them.
  rec.triples.reserve(64);
  rec.id = absl::StrCat(marc.number);
  for (const Problem& p : marc.problems) rec.problems.push_back(p);
  if (rec.has_fatal() || marc.leader.size() < 24) {
    rec.id = marc.where;
    if (!rec.has_fatal()) rec.Fail("leader", "the record has no leader");
    return rec;
  }
  std::string id;
  rec.graph = store::Term::Iri(GraphIri(marc, source, &id));
  if (!graph.empty()) rec.graph = store::Term::Iri(graph);
  rec.id = absl::StrCat(marc.where, " [", id, "]");
  char status = marc.LeaderAt(5), type = marc.LeaderAt(6);
  if (status == 'd') {
    rec.mode = Record::Mode::kDelete;
    return rec;
  }
  if (const char* kind = SkippedKind(type)) {
    rec.skip = true;
    rec.Warn("leader/06",
             absl::StrCat(kind, " record (leader/06 '", std::string(1, type),
                          "'): counted and skipped; bibliographic and "
                          "authority records are imported"));
    return rec;
  }
  if (type == 'z') return marc_internal::MapAuthority(marc, std::move(rec));
  return marc_internal::MapBibliographic(marc, std::move(rec));
}

absl::Status ReadMarcFile(const Source& source, std::FILE* in,
                          const std::function<absl::Status(Record&)>& on_record,
                          const std::function<void(uint64_t)>& on_progress) {
  return ReadIso2709(
      in,
      [&](MarcRecord& marc) {
        Record rec = MapMarcRecord(marc, source);
        return on_record(rec);
      },
      on_progress);
}

}  // namespace bibkg::indexer
