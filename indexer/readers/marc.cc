#include "indexer/readers/marc.h"

#include <yaz/yaz-iconv.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/mapping/bib_item.h"
#include "text/grammars.h"
#include "text/normalize.h"
#include "text/vocab.h"

namespace bibkg::indexer {

constexpr char kRecordTerminator = 0x1D;
constexpr char kFieldTerminator = 0x1E;
constexpr char kSubfieldDelimiter = 0x1F;

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

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

size_t ToNumber(std::string_view s) {
  size_t n = 0;
  for (char c : s) n = n * 10 + static_cast<size_t>(c - '0');
  return n;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c == 0x1B) return false;
  }
  return true;
}

// MARC-8 to UTF-8 with YAZ's converter (which also moves MARC-8's leading
// combining marks after their base letter), then NFC.
class Marc8Converter {
 public:
  Marc8Converter() : cd_(yaz_iconv_open("UTF-8", "MARC8")) {}
  ~Marc8Converter() {
    if (cd_) yaz_iconv_close(cd_);
  }
  Marc8Converter(const Marc8Converter&) = delete;
  Marc8Converter& operator=(const Marc8Converter&) = delete;

  bool ok() const { return cd_ != nullptr; }

  // Converts `in`; bytes YAZ cannot convert become U+FFFD and are counted
  // in `*bad`.
  std::string Convert(std::string_view in, int* bad) {
    if (IsAscii(in)) return std::string(in);
    yaz_iconv(cd_, nullptr, nullptr, nullptr, nullptr);  // initial state
    std::string out;
    char* inbuf = const_cast<char*>(in.data());
    size_t inleft = in.size();
    char chunk[1024];
    while (inleft > 0) {
      char* outbuf = chunk;
      size_t outleft = sizeof chunk;
      size_t r = yaz_iconv(cd_, &inbuf, &inleft, &outbuf, &outleft);
      out.append(chunk, static_cast<size_t>(outbuf - chunk));
      if (r != static_cast<size_t>(-1)) break;
      int err = yaz_iconv_error(cd_);
      if (err == YAZ_ICONV_E2BIG) continue;
      // An invalid or incomplete sequence: skip one byte.
      ++*bad;
      out += "\xEF\xBF\xBD";
      ++inbuf;
      --inleft;
      yaz_iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    }
    char* outbuf = chunk;
    size_t outleft = sizeof chunk;
    yaz_iconv(cd_, nullptr, nullptr, &outbuf, &outleft);
    out.append(chunk, static_cast<size_t>(outbuf - chunk));
    return text::Nfc(out);
  }

 private:
  yaz_iconv_t cd_;
};

// Splits the data of a data field into indicators and subfields.
void ParseDataField(std::string_view data, MarcField* f) {
  size_t first = data.find(kSubfieldDelimiter);
  std::string_view ind = data.substr(0, std::min<size_t>(first, 2));
  if (ind.size() > 0) f->ind1 = ind[0];
  if (ind.size() > 1) f->ind2 = ind[1];
  if (first == std::string_view::npos) return;
  data.remove_prefix(first + 1);
  for (std::string_view part : base::Split(data, std::string_view("\x1F", 1))) {
    if (part.empty()) continue;
    f->subfields.push_back({part[0], std::string(part.substr(1))});
  }
}

// Parses one record (from its leader to its record terminator, inclusive).
void ParseIso2709(std::string_view bytes, MarcRecord* rec,
                  Marc8Converter* marc8) {
  auto fail = [&](std::string field, std::string msg) {
    rec->problems.push_back({std::move(field), std::move(msg), true});
  };
  auto warn = [&](std::string field, std::string msg) {
    rec->problems.push_back({std::move(field), std::move(msg), false});
  };
  if (bytes.size() < 25) {
    fail("leader", absl::StrCat("record of ", bytes.size(),
                                " bytes is too short for a leader"));
    return;
  }
  rec->leader = std::string(bytes.substr(0, 24));
  std::string_view length = bytes.substr(0, 5);
  if (!IsDigits(length)) {
    warn("leader", absl::StrCat("record length \"", std::string(length),
                                "\" is not a number; read up to the record "
                                "terminator"));
  } else if (ToNumber(length) != bytes.size()) {
    warn("leader",
         bytes.size() > 99999
             ? absl::StrCat("record of ", bytes.size(),
                            " bytes is longer than ISO 2709's 99,999 (leader "
                            "says ",
                            std::string(length),
                            "); read up to the record terminator")
             : absl::StrCat("leader says ", ToNumber(length),
                            " bytes but the record terminator ends it at ",
                            bytes.size(), "; read up to the terminator"));
  }
  // The directory runs from byte 24 to the first field terminator.
  size_t dir_end = bytes.find(kFieldTerminator, 24);
  if (dir_end == std::string_view::npos) {
    fail("directory", "no field terminator after the directory");
    return;
  }
  std::string_view dir = bytes.substr(24, dir_end - 24);
  if (dir.size() % 12 != 0) {
    fail("directory", absl::StrCat("broken directory: its length ", dir.size(),
                                   " is not a multiple of 12"));
    return;
  }
  size_t base = dir_end + 1;
  std::string_view base_text = bytes.substr(12, 5);
  if (!IsDigits(base_text) || ToNumber(base_text) != base) {
    warn("leader", absl::StrCat("base address \"", std::string(base_text),
                                "\" disagrees with the directory, which ends "
                                "at ",
                                base, "; used ", base));
  }
  std::string_view data =
      bytes.substr(base, bytes.size() - base - 1);  // without terminator
  // The fields as the terminators cut them, for recovery.
  std::vector<std::string_view> by_terminator =
      base::Split(data, std::string_view("\x1E", 1));
  if (!data.empty() && data.back() == kFieldTerminator)
    by_terminator.pop_back();
  bool utf8 = rec->LeaderAt(9) == 'a';
  size_t entries = dir.size() / 12;
  for (size_t i = 0; i < entries; ++i) {
    std::string_view e = dir.substr(i * 12, 12);
    std::string tag(e.substr(0, 3));
    std::string_view len_text = e.substr(3, 4), start_text = e.substr(7, 5);
    if (!IsDigits(len_text) || !IsDigits(start_text)) {
      fail(tag, absl::StrCat("broken directory: entry ", i + 1, " (\"",
                             std::string(e),
                             "\") has a non-numeric length or start"));
      return;
    }
    size_t len = ToNumber(len_text), start = ToNumber(start_text);
    std::string_view field;
    bool past_end = start >= data.size() || start + len > data.size() + 1;
    std::string_view slice =
        past_end ? std::string_view()
                 : data.substr(start, std::min(len, data.size() - start));
    bool terminated = !slice.empty() && slice.back() == kFieldTerminator &&
                      slice.find(kFieldTerminator) == slice.size() - 1;
    if (terminated) {
      field = slice.substr(0, slice.size() - 1);
    } else if (by_terminator.size() == entries) {
      // The terminators cut the fields consistently: trust them (records
      // over 99,999 bytes have wrapped offsets, some writers wrong lengths).
      field = by_terminator[i];
      warn(tag, past_end ? absl::StrCat("directory entry ", i + 1,
                                        " points past the end of the record; "
                                        "read from the field terminators")
                         : absl::StrCat("directory entry ", i + 1,
                                        " disagrees with the field "
                                        "terminators; read from the "
                                        "terminators"));
    } else if (past_end) {
      warn(tag, absl::StrCat("directory entry ", i + 1,
                             " points past the end of the record; field "
                             "dropped"));
      continue;
    } else {
      warn(tag, "field has no field terminator");
      field = slice;
      // A field never holds a terminator; one inside means the length was
      // wrong.
      if (size_t t = field.find(kFieldTerminator);
          t != std::string_view::npos) {
        field = field.substr(0, t);
      }
    }
    MarcField f;
    f.tag = tag;
    if (f.is_control()) {
      f.data = std::string(field);
    } else {
      ParseDataField(field, &f);
    }
    // Encoding.
    auto convert = [&](std::string* value, const std::string& where) {
      if (utf8) {
        if (size_t bad = text::FindInvalidUtf8(*value);
            bad != std::string::npos) {
          fail(where, absl::StrCat("invalid UTF-8 at byte ", bad,
                                   " of the value (leader/09 says UTF-8)"));
          return;
        }
        // Catalogs often store decomposed letters; keep one form.
        *value = text::Nfc(*value);
        return;
      }
      int bad = 0;
      *value = marc8->Convert(*value, &bad);
      if (bad) {
        warn(where, absl::StrCat(bad,
                                 " byte(s) are not valid MARC-8; "
                                 "replaced by U+FFFD"));
      }
    };
    if (f.is_control()) {
      convert(&f.data, tag);
    } else {
      for (MarcSubfield& s : f.subfields)
        convert(&s.value, absl::StrCat(tag, " $", std::string(1, s.code)));
    }
    rec->fields.push_back(std::move(f));
  }
}

}  // namespace

bool LooksLikeIso2709(std::string_view head) {
  // Filler bytes may precede the first leader.
  size_t i = 0;
  while (i < head.size() && i < 64 &&
         (head[i] == '\0' || head[i] == 0x1A ||
          std::isspace(static_cast<unsigned char>(head[i])))) {
    ++i;
  }
  head.remove_prefix(i);
  if (head.size() < 25 || !IsDigits(head.substr(0, 5))) return false;
  // A directory (digits) ending in a field terminator.
  size_t ft = head.find(kFieldTerminator);
  if (ft == std::string_view::npos || ft < 24 + 12) return false;
  return IsDigits(head.substr(24, 12).substr(3));
}

absl::Status ReadIso2709(
    std::FILE* in, const std::function<absl::Status(MarcRecord&)>& on_record,
    const std::function<void(uint64_t)>& on_progress) {
  Marc8Converter marc8;
  if (!marc8.ok()) {
    return absl::InternalError("YAZ has no MARC-8 to UTF-8 converter");
  }
  std::string buf;
  size_t pos = 0;         // start of unread bytes in buf
  uint64_t buf_base = 0;  // file offset of buf[0]
  bool eof = false;
  constexpr size_t kChunk = 1u << 20;
  auto fill = [&]() -> bool {
    if (eof) return false;
    if (pos > 0 && pos >= buf.size() / 2) {
      buf.erase(0, pos);
      buf_base += pos;
      pos = 0;
    }
    size_t old = buf.size();
    buf.resize(old + kChunk);
    size_t n = std::fread(buf.data() + old, 1, kChunk, in);
    buf.resize(old + n);
    if (n == 0) eof = true;
    return n > 0;
  };
  uint64_t number = 0;
  std::string skipped_note;
  for (;;) {
    // Filler between records: NUL, white space, DOS end-of-file; anything
    // else is skipped with a warning on the next record.
    size_t garbage = 0;
    uint64_t garbage_at = 0;
    for (;;) {
      if (pos >= buf.size() && !fill()) break;
      char c = buf[pos];
      if (c >= '0' && c <= '9') break;
      if (!(c == '\0' || c == 0x1A ||
            std::isspace(static_cast<unsigned char>(c)))) {
        if (garbage++ == 0) garbage_at = buf_base + pos;
      }
      ++pos;
    }
    if (pos >= buf.size()) break;
    // The record runs to its terminator.
    size_t scan = pos;
    size_t end = std::string::npos;
    for (;;) {
      end = buf.find(kRecordTerminator, scan);
      if (end != std::string::npos) break;
      if (buf.size() - pos > kMaxMarcRecordBytes) break;
      scan = buf.size();
      size_t rel = scan - pos;
      if (!fill()) break;
      scan = pos + rel;
    }
    MarcRecord rec;
    rec.number = ++number;
    uint64_t offset = buf_base + pos;
    rec.where = absl::StrCat(number, " (byte ", offset, ")");
    if (garbage > 0) {
      rec.problems.push_back({"",
                              absl::StrCat("skipped ", garbage,
                                           " byte(s) of non-MARC data at byte ",
                                           garbage_at, " before this record"),
                              false});
    }
    if (end == std::string::npos) {
      if (buf.size() - pos > kMaxMarcRecordBytes) {
        rec.problems.push_back(
            {"",
             absl::StrCat("no record terminator within ", kMaxMarcRecordBytes,
                          " bytes; skipped to the next terminator"),
             true});
        // Skip up to the next terminator, in bounded memory.
        for (;;) {
          size_t t = buf.find(kRecordTerminator, pos);
          if (t != std::string::npos) {
            pos = t + 1;
            break;
          }
          pos = buf.size();
          if (!fill()) break;
        }
      } else {
        rec.problems.push_back(
            {"",
             absl::StrCat("truncated record: the file ends ", buf.size() - pos,
                          " bytes into it, before its record terminator"),
             true});
        pos = buf.size();
      }
      BIBKG_RETURN_IF_ERROR(on_record(rec));
      continue;
    }
    ParseIso2709(std::string_view(buf).substr(pos, end + 1 - pos), &rec,
                 &marc8);
    pos = end + 1;
    BIBKG_RETURN_IF_ERROR(on_record(rec));
    if (on_progress && number % 1024 == 0) on_progress(buf_base + pos);
  }
  if (std::ferror(in)) return absl::UnavailableError("read error");
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Mapping

namespace {

// Removes ISBD punctuation at the end of a MARC value (" /", " :", " ;",
// " =", ",", "."), but keeps a period after an initial or abbreviation of one
// letter ("Jr.", "A.").
std::string TrimIsbd(std::string_view v) {
  std::string s = text::CollapseSpace(v);
  for (;;) {
    if (s.empty()) break;
    char c = s.back();
    if (c == '/' || c == ':' || c == ';' || c == '=' || c == ',') {
      s.pop_back();
    } else if (c == '.' && s.size() >= 3 && s[s.size() - 3] != ' ' &&
               s[s.size() - 3] != '.') {
      s.pop_back();
    } else {
      break;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
  }
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']' &&
      s.find('[', 1) == std::string::npos) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

std::optional<int> FirstYear(std::string_view text) {
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    std::string_view y = text.substr(i, 4);
    if (IsDigits(y) &&
        (i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1]))) &&
        (i + 4 == text.size() ||
         !std::isdigit(static_cast<unsigned char>(text[i + 4])))) {
      int year = static_cast<int>(ToNumber(y));
      if (year >= 1000 && year <= 2999) return year;
    }
  }
  return std::nullopt;
}

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

// "(DE-588)118540238" or a URI from $0; ORCIDs are told apart.
void ReadAuthority(const MarcField& f, Agent* a) {
  for (char code : {'0', '1'}) {
    for (std::string_view v : f.All(code)) {
      if (base::ContainsIgnoreCase(v, "orcid")) {
        a->orcid = std::string(v);
      } else if (a->authority.empty() && code == '0') {
        a->authority = text::CollapseSpace(v);
      }
    }
  }
}

// The subject scheme of a 6XX field from its second indicator or $2.
std::string SubjectScheme(const MarcField& f) {
  switch (f.ind2) {
    case '0':
      return "lcsh";
    case '1':
      return "lcshac";
    case '2':
      return "mesh";
    case '3':
      return "nal";
    case '5':
      return "cash";
    case '6':
      return "rvm";
    case '7':
      return text::CollapseSpace(f.Sub('2'));
    default:
      return "";
  }
}

// The heading of a 6XX field: its main part and subdivisions joined by " -- ".
std::string SubjectLabel(const MarcField& f) {
  std::string main, out;
  const std::string_view main_codes = f.tag == "600" ? "abcdq"
                                      : f.tag == "610" || f.tag == "611"
                                          ? "abcdn"
                                          : "a";
  for (const MarcSubfield& s : f.subfields) {
    std::string v = TrimIsbd(s.value);
    if (v.empty()) continue;
    if (main_codes.find(s.code) != std::string_view::npos || s.code == 't') {
      if (!main.empty()) main += ' ';
      main += v;
    } else if (s.code == 'x' || s.code == 'y' || s.code == 'z' ||
               s.code == 'v') {
      if (!out.empty()) out += " -- ";
      out += v;
    }
  }
  if (main.empty()) return out;
  return out.empty() ? main : main + " -- " + out;
}

const char* WorkType(const MarcRecord& marc) {
  char type = marc.LeaderAt(6), level = marc.LeaderAt(7);
  if (marc.First("502")) return vocab::kThesis;
  if (level == 's') return vocab::kPeriodical;
  if (level == 'a' || level == 'b') {
    if (const MarcField* host = marc.First("773")) {
      if (!host->Sub('x').empty() || level == 'b')
        return vocab::kJournalArticle;
      return vocab::kBookChapter;
    }
    return vocab::kJournalArticle;
  }
  if (level == 'm' && (type == 'a' || type == 't')) return vocab::kBook;
  if (type == 'm') return vocab::kComputerProgram;
  return vocab::kExpression;
}

Record MapBibliographic(const MarcRecord& marc, Record rec) {
  BibItem item;
  item.type = WorkType(marc);
  item.title_field = "245";
  item.doi_field = "024";
  item.isbn_field = "020";
  item.issn_field = "022";
  const MarcField* f245 = marc.First("245");
  if (!f245) {
    rec.Fail("245", "missing required field 245 (title statement)");
    return rec;
  }
  {
    std::string a = TrimIsbd(f245->Join("ak"));
    std::string b = TrimIsbd(f245->Sub('b'));
    std::string np = TrimIsbd(f245->Join("np"));
    item.title = a;
    if (!b.empty()) item.title += (item.title.empty() ? "" : ": ") + b;
    if (!np.empty()) item.title += (item.title.empty() ? "" : ". ") + np;
    if (item.title.empty()) {
      rec.Fail("245", "field 245 has no title ($a, $b or $k)");
      return rec;
    }
  }
  for (const char* tag : {"246", "130", "240"}) {
    for (const MarcField* f : marc.All(tag)) {
      std::string t = TrimIsbd(f->Join("ab"));
      if (!t.empty()) item.alt_titles.push_back(t);
    }
  }
  // 008: date 1 (07-10) and language (35-37).
  std::string lang3;
  if (const MarcField* f008 = marc.First("008");
      f008 && f008->data.size() >= 38) {
    std::string_view d = f008->data;
    if (IsDigits(d.substr(7, 4))) {
      int year = static_cast<int>(ToNumber(d.substr(7, 4)));
      if (year > 0) item.date = text::Date{year, 0, 0};
    }
    lang3 = std::string(d.substr(35, 3));
  }
  if (const MarcField* f041 = marc.First("041")) {
    std::string_view a = f041->Sub('a');
    if (lang3.empty() || lang3 == "   " || lang3 == "|||" || lang3 == "und")
      lang3 = std::string(a.substr(0, 3));
  }
  if (!lang3.empty() && lang3 != "   " && lang3 != "|||") {
    item.lang = text::ToIso639_1(lang3);
  }
  for (const MarcField* f : marc.All("020")) {
    for (std::string_view v : f->All('a')) item.isbns.emplace_back(v);
  }
  for (const MarcField* f : marc.All("022")) {
    for (std::string_view v : f->All('a')) item.issns.emplace_back(v);
  }
  for (const MarcField* f : marc.All("024")) {
    if (f->ind1 == '7' && base::EqualsIgnoreCase(f->Sub('2'), "doi") &&
        item.doi.empty()) {
      item.doi = std::string(f->Sub('a'));
    }
  }
  if (const MarcField* f010 = marc.First("010")) {
    std::string lccn = text::CollapseSpace(f010->Sub('a'));
    if (!lccn.empty()) item.identifiers.push_back("LCCN " + lccn);
  }
  for (const MarcField* f : marc.All("035")) {
    std::string v = text::CollapseSpace(f->Sub('a'));
    if (!v.empty()) item.identifiers.push_back(v);
  }
  // Names.
  for (const MarcField& f : marc.fields) {
    bool main = f.tag == "100" || f.tag == "110" || f.tag == "111";
    bool added = f.tag == "700" || f.tag == "710" || f.tag == "711";
    if (!main && !added) continue;
    if (added && !f.Sub('t').empty()) continue;  // a related work
    Agent a;
    a.field = f.tag;
    a.corporate = f.tag[1] != '0';
    a.name = TrimIsbd(a.corporate ? f.Join("ab") : f.Sub('a'));
    if (a.name.empty()) continue;
    for (std::string_view e : f.All(f.tag[2] == '1' ? 'j' : 'e'))
      a.relators.push_back(TrimIsbd(e));
    for (std::string_view c : f.All('4')) {
      std::string code = text::CollapseSpace(c);
      // $4 may hold a relator URI.
      if (size_t slash = code.rfind('/'); slash != std::string::npos)
        code = code.substr(slash + 1);
      a.relators.push_back(code);
    }
    a.creator = main || a.relators.empty();
    ReadAuthority(f, &a);
    item.agents.push_back(std::move(a));
  }
  if (const MarcField* f250 = marc.First("250"))
    item.edition = TrimIsbd(f250->Join("ab"));
  // 264 with second indicator 1 (publication) before 260.
  const MarcField* pub = nullptr;
  for (const MarcField* f : marc.All("264")) {
    if (f->ind2 == '1') {
      pub = f;
      break;
    }
  }
  if (!pub) pub = marc.First("260");
  if (pub) {
    item.place = TrimIsbd(pub->Sub('a'));
    item.publisher = TrimIsbd(pub->Sub('b'));
    if (!item.date) {
      if (std::optional<int> y = FirstYear(pub->Sub('c'))) {
        item.date = text::Date{*y, 0, 0};
      }
    }
  }
  for (const MarcField* f : marc.All("300")) {
    std::string e = TrimIsbd(f->Join("abc"));
    if (!e.empty()) {
      item.extent = e;
      break;
    }
  }
  for (const char* tag : {"490", "830"}) {
    for (const MarcField* f : marc.All(tag)) {
      std::string s = TrimIsbd(f->Sub('a'));
      if (!s.empty() && std::find(item.series.begin(), item.series.end(), s) ==
                            item.series.end()) {
        item.series.push_back(s);
      }
    }
  }
  for (const MarcField* f : marc.All("500")) {
    std::string n = text::CollapseSpace(f->Sub('a'));
    if (!n.empty()) item.notes.push_back(n);
  }
  for (const MarcField* f : marc.All("520")) {
    std::string a = text::CollapseSpace(f->Join("ab"));
    if (a.empty()) continue;
    if (!item.abstract.empty()) item.abstract += "\n\n";
    item.abstract += a;
  }
  for (const MarcField* f : marc.All("536")) {
    FundingNote n;
    n.field = "536";
    n.text = f->Join("abcdefgh");
    n.funder = TrimIsbd(f->Sub('a'));
    for (char c : {'c', 'b', 'd'}) {
      if (n.grant.empty()) n.grant = TrimIsbd(f->Sub(c));
    }
    n.project = TrimIsbd(f->Sub('f'));
    item.funding.push_back(std::move(n));
  }
  for (const MarcField& f : marc.fields) {
    if (!(f.tag == "600" || f.tag == "610" || f.tag == "611" ||
          f.tag == "630" || f.tag == "650" || f.tag == "651" ||
          f.tag == "653" || f.tag == "655")) {
      continue;
    }
    if (f.tag == "653") {
      for (std::string_view a : f.All('a'))
        item.subjects.push_back({TrimIsbd(a), "", "", false});
      continue;
    }
    SubjectTerm s;
    s.label = SubjectLabel(f);
    s.scheme = SubjectScheme(f);
    s.authority = text::CollapseSpace(f.Sub('0'));
    s.place = f.tag == "651";
    if (!s.label.empty()) item.subjects.push_back(std::move(s));
  }
  if (const MarcField* f773 = marc.First("773")) {
    item.host_title = TrimIsbd(f773->Sub('t'));
    if (item.host_title.empty()) item.host_title = TrimIsbd(f773->Sub('a'));
    for (std::string_view x : f773->All('x')) item.host_issns.emplace_back(x);
    std::string g = text::CollapseSpace(f773->Join("g"));
    if (!g.empty()) {
      absl::StatusOr<text::Enumeration> e = text::ParseEnumeration(g);
      if (e.ok()) {
        item.enumeration = *e;
        if (!item.date && e->year) item.date = text::Date{*e->year, 0, 0};
      } else {
        rec.Warn("773 $g", std::string(e.status().message()));
      }
    }
  }
  for (const MarcField* f : marc.All("856")) {
    for (std::string_view u : f->All('u')) {
      std::string url = text::CollapseSpace(u);
      if (url.empty()) continue;
      if (item.doi.empty() && base::ContainsIgnoreCase(url, "doi.org/10.")) {
        item.doi = url;
        item.doi_field = "856 $u";
      }
      item.urls.push_back(url);
    }
  }
  MapBibItem(item, &rec);
  return rec;
}

Record MapAuthority(const MarcRecord& marc, Record rec) {
  const MarcField* f001 = marc.First("001");
  const MarcField* f003 = marc.First("003");
  std::string authority_id;
  if (f001 && !text::CollapseSpace(f001->data).empty()) {
    std::string org = f003 ? text::CollapseSpace(f003->data) : "";
    authority_id = org.empty() ? text::CollapseSpace(f001->data)
                               : absl::StrCat("(", org, ")",
                                              text::CollapseSpace(f001->data));
  }
  for (const MarcField& f : marc.fields) {
    std::string_view tag = f.tag;
    if (tag.size() != 3 || tag[0] != '1') continue;
    std::string node;
    const char* alt_tag = nullptr;
    if (tag == "100") {
      std::optional<text::PersonName> n =
          text::ParsePersonName(TrimIsbd(f.Sub('a')));
      if (!n) continue;
      node = AddPerson(&rec, *n);
      alt_tag = "400";
    } else if (tag == "110" || tag == "111") {
      std::string name = TrimIsbd(f.Join("ab"));
      if (name.empty()) continue;
      node = text::MintIri("organization", text::MatchKey(name));
      rec.AddIri(node, vocab::kRdfType, vocab::kOrganization);
      rec.AddLiteral(node, vocab::kName, name);
      alt_tag = tag == "110" ? "410" : "411";
    } else if (tag == "150" || tag == "151" || tag == "155") {
      std::string label = SubjectLabel(f);
      if (label.empty()) continue;
      node = AddConcept(&rec, label, "");
      alt_tag = tag == "150" ? "450" : tag == "151" ? "451" : "455";
    } else {
      continue;
    }
    rec.AddLiteral(node, vocab::kAuthorityId, authority_id);
    for (const MarcField* alt : marc.All(alt_tag)) {
      std::string label = alt->tag == "400" ? TrimIsbd(alt->Sub('a'))
                                            : TrimIsbd(alt->Join("ab"));
      rec.AddLiteral(node, vocab::kAltLabel, label);
    }
    return rec;
  }
  rec.Fail("1XX",
           "authority record has no heading (100, 110, 111, 150, 151 "
           "or 155)");
  return rec;
}

}  // namespace

Record MapMarcRecord(const MarcRecord& marc, const Source& source,
                     const std::string& graph) {
  Record rec;
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
  if (type == 'u' || type == 'v' || type == 'x' || type == 'y') {
    rec.skip = true;
    return rec;
  }
  if (type == 'z') return MapAuthority(marc, std::move(rec));
  return MapBibliographic(marc, std::move(rec));
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
