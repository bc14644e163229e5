// The fixture the catalog format tests share: a store in a temporary
// directory, imports into it, and lookups of what the imports wrote; and
// ISO 2709 records built field by field, to damage them on purpose.
#ifndef BIBKG_TESTS_INDEXER_CATALOG_TEST_FIXTURE_H_
#define BIBKG_TESTS_INDEXER_CATALOG_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "indexer/importer.h"
#include "tests/testing/testing.h"
#include "text/vocab.h"

namespace bibkg::indexer {

// The path of a real file under tests/data/fixtures (see its README).
inline std::string Fixture(const std::string& rel) {
  return ::bibkg::testing::DataPath("fixtures/" + rel);
}

// A fresh store per test, imports into it, and lookups of what they wrote.
class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::Store::Open(dir_.Sub("db"), {});
    ASSERT_OK(s);
    store_ = std::move(*s);
  }

  // Imports the files in order; returns the importer's stats.
  ImportStats Import(const std::vector<std::string>& paths,
                     InputFormat format = InputFormat::kAuto) {
    ImporterOptions opts;
    opts.format = format;
    Importer importer(store_.get(), opts);
    for (const std::string& p : paths) EXPECT_OK(importer.ImportFile(p));
    EXPECT_OK(importer.Finish());
    errors_ = importer.errors();
    return importer.stats();
  }
  ImportStats ImportBytes(const std::string& name, const std::string& bytes) {
    std::string path = dir_.Sub(name);
    ::bibkg::testing::WriteFile(path, bytes);
    return Import({path});
  }

  // Objects of (s, p) as strings (IRIs and literal values alike).
  std::vector<std::string> Objects(const std::string& s, const char* p) {
    std::vector<std::string> out;
    auto view = store_->NewReadView();
    EXPECT_OK(view->Scan(
        {store::Term::Iri(s), store::Term::Iri(p), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          out.push_back(q.o.value);
          return true;
        }));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::string One(const std::string& s, const char* p) {
    std::vector<std::string> v = Objects(s, p);
    return v.size() == 1 ? v[0] : absl::StrCat("<", v.size(), " values>");
  }
  // Subjects with (p, literal o).
  std::vector<std::string> SubjectsWith(const char* p, const std::string& o) {
    std::vector<std::string> out;
    auto view = store_->NewReadView();
    EXPECT_OK(view->Scan(
        {std::nullopt, store::Term::Iri(p), std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          if (q.o.value == o) out.push_back(q.s.value);
          return true;
        }));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::string WorkTitled(const std::string& title) {
    std::vector<std::string> w = SubjectsWith(vocab::kTitle, title);
    EXPECT_EQ(w.size(), 1u) << title;
    return w.empty() ? "" : w[0];
  }
  // Graphs holding a quad about `s`.
  std::set<std::string> GraphsOf(const std::string& s) {
    std::set<std::string> out;
    auto view = store_->NewReadView();
    EXPECT_OK(view->Scan(
        {store::Term::Iri(s), std::nullopt, std::nullopt, std::nullopt},
        [&](const store::Quad& q) {
          out.insert(q.g.value);
          return true;
        }));
    return out;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const ImportError& e : errors_) out.push_back(e.ToString());
    return out;
  }

  ::bibkg::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::vector<ImportError> errors_;
};

// ---------------------------------------------------------------------------
// Building ISO 2709 records field by field, to damage them on purpose.

struct Field {
  std::string tag;
  std::string content;  // control: value; data: indicators + "$a..." with $
};

// "10$aTitle$cBy me" -> indicators and subfields with real delimiters.
inline std::string Data(std::string s) {
  std::replace(s.begin(), s.end(), '$', '\x1F');
  return s;
}

inline std::string BuildMarc(const std::vector<Field>& fields,
                             char status = 'n', char type = 'a',
                             char level = 'm', char coding = 'a') {
  std::string dir, data;
  for (const Field& f : fields) {
    std::string content =
        (f.tag < "010" ? f.content : Data(f.content)) + "\x1E";
    dir += f.tag;
    // Offsets past 99,999 wrap, as writers of oversized records do.
    dir += absl::StrFormat("%04d%05d", content.size() % 10000,
                           data.size() % 100000);
    data += content;
  }
  size_t base = 24 + dir.size() + 1;
  size_t total = base + data.size() + 1;
  std::string leader =
      absl::StrFormat("%05d%c%c%c %c22%05d   4500", total % 100000, status,
                      type, level, coding, base);
  return leader + dir + "\x1E" + data + "\x1D";
}

inline std::vector<Field> Book(const std::string& id,
                               const std::string& title) {
  return {{"001", id},
          {"003", "TEST"},
          {"008", "240101s2024    no            000 0 eng d"},
          {"100", "1 $aHansen, Kari,$eauthor."},
          {"245", "10$a" + title + " /$cKari Hansen."},
          {"650", " 0$aDigital libraries."}};
}

}  // namespace bibkg::indexer

#endif  // BIBKG_TESTS_INDEXER_CATALOG_TEST_FIXTURE_H_
