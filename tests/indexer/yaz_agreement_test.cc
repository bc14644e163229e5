// bibkg's reading of MARC against yaz's. For every MARC 21 (ISO 2709) and
// MARCXML file in tests/data/ and in the shared fixture collection
// (../shared/fixtures beside the checkout, when it is there), the installed
// `yaz-marcdump` writes its reading as MARCXML (MARC-8 converted to UTF-8),
// and each of yaz's records is compared with bibkg's: the 245 title
// ($a $b $k $n $p), the 100/110/111 names and the 020, 022 and 024
// identifiers ($a), all in NFC with white space collapsed. The agreement
// (yaz's records that bibkg read the same, in the same order) is printed per
// file and must be at least 99.5 %. The disagreements that remain are in
// docs/catalog-formats.md, with their reasons.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "indexer/importer.h"
#include "indexer/readers/marc.h"
#include "indexer/readers/xml_records.h"
#include "tests/testing/testing.h"
#include "text/normalize.h"

namespace bibkg::indexer {
namespace {

namespace fs = std::filesystem;

// One record's reading: "title | names | identifiers", and what explains a
// difference: yaz read none of its data fields (yaz could not read the
// directory that bibkg repaired), or bibkg flagged bytes that are not valid
// in the record's encoding (yaz writes such values empty or changed).
struct Reading {
  std::string text;
  bool no_fields = false;
  bool yaz_damage = false;  // yaz noted damage in the record (comments)
  bool bad_bytes = false;
  bool operator==(const Reading& o) const { return text == o.text; }
};

std::string Clean(std::string_view v) {
  return text::CollapseSpace(text::Nfc(v));
}

struct Sub {
  std::string tag;
  char code;
  std::string value;
};

Reading Summarize(const std::vector<Sub>& subs) {
  std::string title, names, ids;
  auto add = [](std::string* to, const std::string& v) {
    if (v.empty()) return;
    if (!to->empty()) *to += " ; ";
    *to += v;
  };
  for (const Sub& s : subs) {
    std::string v = Clean(s.value);
    if (s.tag == "245" &&
        std::string_view("abknp").find(s.code) != std::string_view::npos) {
      add(&title, v);
    } else if ((s.tag == "100" || s.tag == "110" || s.tag == "111") &&
               s.code == 'a') {
      add(&names, v);
    } else if ((s.tag == "020" || s.tag == "022" || s.tag == "024") &&
               s.code == 'a') {
      add(&ids, v);
    }
  }
  Reading r;
  r.text = absl::StrCat(title, " | ", names, " | ", ids);
  r.no_fields = subs.empty();
  return r;
}

Reading Summarize(const MarcRecord& m) {
  std::vector<Sub> subs;
  for (const MarcField& f : m.fields) {
    for (const MarcSubfield& s : f.subfields)
      subs.push_back({f.tag, s.code, s.value});
  }
  Reading r = Summarize(subs);
  for (const Problem& p : m.problems) {
    if (p.message.find("UTF-8") != std::string::npos ||
        p.message.find("MARC-8") != std::string::npos) {
      r.bad_bytes = true;
    }
  }
  return r;
}

std::string XmlUnescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    std::string e = s.substr(i + 1, semi - i - 1);
    if (e == "amp")
      out += '&';
    else if (e == "lt")
      out += '<';
    else if (e == "gt")
      out += '>';
    else if (e == "quot")
      out += '"';
    else if (e == "apos")
      out += '\'';
    else
      out += "&" + e + ";";
    i = semi;
  }
  return out;
}

// yaz's reading of `path`, from its MARCXML output.
std::vector<Reading> YazReading(const std::string& path, bool xml) {
  std::string cmd =
      absl::StrCat("yaz-marcdump ", xml ? "-i marcxml" : "-f MARC-8 -t UTF-8",
                   " -o marcxml '", path, "' 2>/dev/null");
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  EXPECT_TRUE(p) << cmd;
  std::string out;
  char buf[65536];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p.get())) > 0)
    out.append(buf, n);
  static const std::regex kField(
      R"re(<datafield tag="([^"]*)"[^>]*>([\s\S]*?)</datafield>)re");
  static const std::regex kSub(
      R"re(<subfield code="(.)">([\s\S]*?)</subfield>)re");
  std::vector<Reading> records;
  size_t pos = 0;
  for (;;) {
    size_t start = out.find("<record", pos);
    if (start == std::string::npos) break;
    size_t end = out.find("</record>", start);
    if (end == std::string::npos) end = out.size();
    std::string rec = out.substr(start, end - start);
    pos = end;
    std::vector<Sub> subs;
    for (std::sregex_iterator f(rec.begin(), rec.end(), kField), e; f != e;
         ++f) {
      std::string tag = (*f)[1], body = (*f)[2];
      for (std::sregex_iterator s(body.begin(), body.end(), kSub); s != e; ++s)
        subs.push_back({tag, std::string((*s)[1])[0], XmlUnescape((*s)[2])});
    }
    records.push_back(Summarize(subs));
    records.back().yaz_damage = rec.find("<!--") != std::string::npos;
  }
  return records;
}

std::vector<Reading> BibkgReading(const std::string& path, bool xml) {
  std::vector<Reading> out;
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(path.c_str(), "rb"),
                                           std::fclose);
  auto take = [&](MarcRecord& m) {
    out.push_back(Summarize(m));
    return absl::OkStatus();
  };
  absl::Status s =
      xml ? ReadMarcXmlRecords(in.get(), take) : ReadIso2709(in.get(), take);
  s.IgnoreError();  // a damaged file: the records read before the damage count
  return out;
}

// The MARC and MARCXML files below `dir`.
std::vector<std::pair<std::string, bool>> MarcFiles(const fs::path& dir) {
  std::vector<std::pair<std::string, bool>> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::FILE* f = std::fopen(e.path().c_str(), "rb");
    std::string head(65536, '\0');
    head.resize(std::fread(head.data(), 1, head.size(), f));
    std::fclose(f);
    InputFormat format = DetectFormat(head);
    bool marcxml = format == InputFormat::kMarcXml &&
                   (head.find("datafield") != std::string::npos ||
                    head.find("controlfield") != std::string::npos) &&
                   head.find("OAI-PMH") == std::string::npos;
    if (format == InputFormat::kMarc || marcxml)
      files.emplace_back(e.path().string(), marcxml);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(YazAgreement, TitlesNamesAndIdentifiersAgreeWithYazMarcdump) {
  ASSERT_EQ(std::system("yaz-marcdump -V >/dev/null 2>&1"), 0)
      << "yaz-marcdump is not installed (scripts/setup.sh installs it)";
  std::vector<std::pair<std::string, bool>> files =
      MarcFiles(testing::DataPath(""));
  // tests/data alone holds this many MARC and MARCXML files; the shared
  // fixtures, when checked out beside the project, add theirs.
  ASSERT_GE(files.size(), 16u);
  for (auto& f :
       MarcFiles(fs::path(BIBKG_SOURCE_DIR) / ".." / "shared" / "fixtures"))
    files.push_back(f);
  size_t total = 0, agreed_total = 0;
  for (const auto& [path, xml] : files) {
    std::vector<Reading> yaz = YazReading(path, xml);
    std::vector<Reading> ours = BibkgReading(path, xml);
    size_t agreed = 0, explained = 0, next = 0;
    std::vector<std::string> notes;
    for (size_t i = 0; i < yaz.size(); ++i) {
      bool found = false;
      // The same number of records: paired in order; else matched within a
      // few records of where the last pair was.
      size_t window = yaz.size() == ours.size() ? 1 : 4;
      for (size_t j = next; j < ours.size() && j < next + window; ++j) {
        if (ours[j] == yaz[i]) {
          found = true;
          next = j + 1;
          break;
        }
      }
      const Reading* mine = next < ours.size() ? &ours[next] : nullptr;
      const char* why = nullptr;
      if (found) {
        ++agreed;
        continue;
      } else if (yaz[i].no_fields) {
        why = "yaz reads no field of it; bibkg repaired its directory";
      } else if (yaz[i].yaz_damage) {
        why =
            "yaz notes damage in it and reads less of it than bibkg, "
            "which repairs it from the field terminators";
      } else if (mine && mine->bad_bytes) {
        why =
            "bytes invalid in its encoding: bibkg flags them, yaz drops "
            "or changes the value";
      } else if (i > 0 && yaz[i] == yaz[i - 1]) {
        why =
            "yaz reads the record a second time (its SRU <zs:record> "
            "wrapper)";
      }
      if (why) {
        ++explained;
        if (mine) ++next;
      }
      notes.push_back(
          absl::StrCat("  record ", i + 1, why ? " (" : " DISAGREES",
                       why ? why : "", why ? ")" : "", ": yaz \"", yaz[i].text,
                       "\"; bibkg \"", mine ? mine->text : "(none)", "\""));
    }
    size_t compared = yaz.size() - explained;
    total += compared;
    agreed_total += agreed;
    double pct = compared == 0 ? 100.0 : 100.0 * agreed / compared;
    std::printf(
        "yaz agreement %6.1f %% (%zu of %zu records; %zu differences "
        "explained; bibkg read %zu): %s\n",
        pct, agreed, compared, explained, ours.size(), path.c_str());
    for (const std::string& d : notes) std::printf("%s\n", d.c_str());
    EXPECT_GE(pct, 99.5) << path;
  }
  std::printf("yaz agreement overall: %zu of %zu records (%.2f %%)\n",
              agreed_total, total,
              total ? 100.0 * agreed_total / total : 100.0);
}

}  // namespace
}  // namespace bibkg::indexer
