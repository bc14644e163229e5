#include "tests/testing/samples.h"

#include "indexer/importer.h"
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
                   const std::vector<std::string>& files) {
  Imported out;
  auto s = store::Store::Open(dir, {});
  EXPECT_OK(s);
  out.store = std::move(*s);
  indexer::Importer importer(out.store.get(), {});
  for (const std::string& f : files) EXPECT_OK(importer.ImportFile(f));
  EXPECT_OK(importer.Finish());
  out.stats = importer.stats();
  for (const indexer::ImportError& e : importer.errors())
    out.messages.push_back(e.ToString());
  return out;
}

}  // namespace bibkg::testing
