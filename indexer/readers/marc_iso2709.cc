// Reading MARC records from ISO 2709 files, converting MARC-8 to UTF-8.
#include <yaz/yaz-iconv.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/strings.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/marc_internal.h"
#include "text/normalize.h"

namespace bibkg::indexer {
namespace {

using marc_internal::IsDigits;
using marc_internal::ToNumber;

constexpr char kRecordTerminator = 0x1D;
constexpr char kFieldTerminator = 0x1E;
constexpr char kSubfieldDelimiter = 0x1F;

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

// Converts the values of `f` to UTF-8 in NFC: checked UTF-8 when the leader
// says so (leader/09 `a`), MARC-8 otherwise. Invalid UTF-8 fails the record;
// bytes that are not MARC-8 become U+FFFD with a warning.
void ConvertToUtf8(bool utf8, Marc8Converter* marc8, MarcField* f,
                   MarcRecord* rec) {
  auto convert = [&](std::string* value, const std::string& where) {
    if (utf8) {
      if (size_t bad = text::FindInvalidUtf8(*value);
          bad != std::string::npos) {
        rec->problems.push_back(
            {where,
             absl::StrCat("invalid UTF-8 at byte ", bad,
                          " of the value (leader/09 says UTF-8)"),
             true});
        return;
      }
      // Catalogs often store decomposed letters; keep one form.
      *value = text::Nfc(*value);
      return;
    }
    int bad = 0;
    *value = marc8->Convert(*value, &bad);
    if (bad) {
      rec->problems.push_back(
          {where,
           absl::StrCat(bad,
                        " byte(s) are not valid MARC-8; replaced by "
                        "U+FFFD"),
           false});
    }
  };
  if (f->is_control()) {
    convert(&f->data, f->tag);
  } else {
    for (MarcSubfield& s : f->subfields)
      convert(&s.value, absl::StrCat(f->tag, " $", std::string(1, s.code)));
  }
}

// True when bytes 24 to `end` are a whole number of directory entries with
// numeric lengths and starts.
bool DirectoryOk(std::string_view bytes, size_t end) {
  if (end < 24 || (end - 24) % 12 != 0) return false;
  for (size_t i = 24; i < end; i += 12) {
    if (!IsDigits(bytes.substr(i + 3, 9))) return false;
  }
  return true;
}

// The number of bytes before the real leader of a record whose directory
// does not end where its base address says, when skipping 1 to 11 bytes
// makes leader, directory and base address agree; 0 when none does.
size_t LeaderShift(std::string_view bytes) {
  for (size_t k = 1; k < 12 && k + 25 < bytes.size(); ++k) {
    std::string_view b = bytes.substr(k);
    if (!IsDigits(b.substr(0, 5)) || !IsDigits(b.substr(12, 5))) continue;
    size_t end = b.find(kFieldTerminator, 24);
    if (end == std::string_view::npos || (end - 24) % 12 != 0) continue;
    if (ToNumber(b.substr(12, 5)) == end + 1) return k;
  }
  return 0;
}

// Parses one record (from its leader to its record terminator, inclusive).
// `shifted`: the record was already re-read from a later leader.
void ParseIso2709(std::string_view bytes, MarcRecord* rec,
                  Marc8Converter* marc8, bool shifted = false) {
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
  if (!DirectoryOk(bytes, dir_end)) {
    // A damaged directory terminator: the base address tells the end.
    std::string_view b = bytes.substr(12, 5);
    size_t base_end = IsDigits(b) ? ToNumber(b) - 1 : 0;
    if (base_end > 24 && base_end < bytes.size() &&
        DirectoryOk(bytes, base_end)) {
      warn("directory",
           absl::StrCat("no field terminator where the base address says "
                        "the directory ends (byte ",
                        base_end, "); directory read up to there"));
      dir_end = base_end;
    }
  }
  std::string_view dir = bytes.substr(24, dir_end - 24);
  if (dir.size() % 12 != 0) {
    // Bytes before the leader (a doubled length, say) shift everything:
    // the leader is where its base address meets the directory's end.
    if (size_t shift = LeaderShift(bytes); shift > 0 && !shifted) {
      rec->problems.clear();
      warn("leader",
           absl::StrCat("directory length ", dir.size(),
                        " is not a multiple of 12, but the record reads "
                        "whole from byte ",
                        shift, ": skipped ", shift,
                        " byte(s) before its leader"));
      ParseIso2709(bytes.substr(shift), rec, marc8, true);
      return;
    }
    warn("directory", absl::StrCat("directory length ", dir.size(),
                                   " is not a multiple of 12; its last ",
                                   dir.size() % 12, " byte(s) ignored"));
    dir = dir.substr(0, dir.size() - dir.size() % 12);
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
    bool numeric = IsDigits(len_text) && IsDigits(start_text);
    if (!numeric && by_terminator.size() != entries) {
      warn(tag, absl::StrCat("directory entry ", i + 1, " (\"",
                             absl::CEscape(std::string(e)),
                             "\") has a non-numeric length or start, and the "
                             "field terminators do not tell the field; field "
                             "dropped"));
      continue;
    }
    size_t len = numeric ? ToNumber(len_text) : 0;
    size_t start = numeric ? ToNumber(start_text) : data.size();
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
      warn(tag, !numeric   ? absl::StrCat("directory entry ", i + 1,
                                          " is not numeric; read from the "
                                            "field terminators")
                : past_end ? absl::StrCat("directory entry ", i + 1,
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
    ConvertToUtf8(utf8, marc8, &f, rec);
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

}  // namespace bibkg::indexer
