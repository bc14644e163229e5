#include "tests/testing/samples.h"

#include "indexer/importer.h"
#include "store/topic_postings.h"
#include "tests/testing/testing.h"

namespace bibkg::testing {

const std::vector<std::string>& SampleNames() {
  static const std::vector<std::string> kNames = {
      "blog-post-digital-leadership-levels.txt",
      "catalog-record-journal-article.txt", "news-article-socitm-leaders.txt",
      "news-article-socitm-structures.txt", "research-council-project-no.txt"};
  return kNames;
}

void ImportSamples(store::Store* store, std::vector<std::string> order) {
  if (order.empty()) order = SampleNames();
  indexer::Importer importer(store, {});
  for (const std::string& name : order) {
    EXPECT_OK(importer.ImportFile(DataPath("samples/" + name)));
  }
  EXPECT_OK(importer.Finish());
  EXPECT_TRUE(importer.errors().empty()) << importer.errors()[0].ToString();
  EXPECT_EQ(importer.stats().records_imported, order.size());
}

Imported ImportAll(const std::string& dir,
                   const std::vector<std::string>& files,
                   const indexer::ImporterOptions& options) {
  Imported out;
  auto s = store::Store::Open(dir, {});
  EXPECT_OK(s);
  out.store = std::move(*s);
  indexer::Importer importer(out.store.get(), options);
  for (const std::string& f : files) EXPECT_OK(importer.ImportFile(f));
  EXPECT_OK(importer.Finish());
  out.stats = importer.stats();
  for (const indexer::ImportError& e : importer.errors())
    out.messages.push_back(e.ToString());
  return out;
}

std::string ReadableAux(const store::ReadView& view, std::string_view key,
                        std::string_view value) {
  if (key != store::kDocKey || value.empty() || value[0] != store::kDocEntryIds)
    return std::string(value);
  std::optional<store::DocInfo> info = store::ParseDocEntry(value);
  if (!info) return "unreadable document entry";
  auto name = [&](store::TermId id) {
    absl::StatusOr<store::Term> t = view.Resolve(id);
    return t.ok() ? t->value : "?";
  };
  std::string out = "length " + std::to_string(info->length) + " work " +
                    name(info->work_id) + " year " +
                    std::to_string(info->facts ? info->facts->year : 0);
  for (const auto& [label, ids] : {std::pair{" types", &info->type_ids},
                                   std::pair{" subjects", &info->subject_ids},
                                   std::pair{" funders", &info->funder_ids}}) {
    out += label;
    for (store::TermId id : *ids) out += " " + name(id);
  }
  out += " languages";
  if (info->facts)
    for (const std::string& l : info->facts->languages) out += " " + l;
  return out;
}

}  // namespace bibkg::testing
