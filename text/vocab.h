// Every IRI the indexer writes, in one place. The table in docs/schema.md
// lists which input field maps to which of these.
#ifndef BIBKG_TEXT_VOCAB_H_
#define BIBKG_TEXT_VOCAB_H_

namespace bibkg::vocab {

#define BIBKG_NS(ns, base) inline constexpr const char* ns = base
BIBKG_NS(kRdf, "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
BIBKG_NS(kXsd, "http://www.w3.org/2001/XMLSchema#");
BIBKG_NS(kDcterms, "http://purl.org/dc/terms/");
BIBKG_NS(kBibo, "http://purl.org/ontology/bibo/");
BIBKG_NS(kFabio, "http://purl.org/spar/fabio/");
BIBKG_NS(kCito, "http://purl.org/spar/cito/");
BIBKG_NS(kFrapo, "http://purl.org/cerif/frapo/");
BIBKG_NS(kFoaf, "http://xmlns.com/foaf/0.1/");
BIBKG_NS(kSkos, "http://www.w3.org/2004/02/skos/core#");
BIBKG_NS(kSchema, "http://schema.org/");
BIBKG_NS(kProv, "http://www.w3.org/ns/prov#");
// bibkg's own terms (match keys, flags) and the base of minted node IRIs.
BIBKG_NS(kBibkg, "https://w3id.org/bibkg/ns#");
BIBKG_NS(kBibkgId, "https://w3id.org/bibkg/id/");
// MARC relators (id.loc.gov), used as properties for contributor roles.
BIBKG_NS(kRelators, "http://id.loc.gov/vocabulary/relators/");
#undef BIBKG_NS

#define BIBKG_TERM(name, ns, local) inline constexpr const char* name = ns local
// rdf / xsd
BIBKG_TERM(kRdfType, "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type");
BIBKG_TERM(kXsdDecimal, "http://www.w3.org/2001/XMLSchema#", "decimal");
BIBKG_TERM(kXsdInteger, "http://www.w3.org/2001/XMLSchema#", "integer");
// DCTERMS
BIBKG_TERM(kTitle, "http://purl.org/dc/terms/", "title");
BIBKG_TERM(kAlternative, "http://purl.org/dc/terms/", "alternative");
BIBKG_TERM(kCreator, "http://purl.org/dc/terms/", "creator");
BIBKG_TERM(kSubject, "http://purl.org/dc/terms/", "subject");
BIBKG_TERM(kAbstract, "http://purl.org/dc/terms/", "abstract");
BIBKG_TERM(kDescription, "http://purl.org/dc/terms/", "description");
BIBKG_TERM(kLanguage, "http://purl.org/dc/terms/", "language");
BIBKG_TERM(kIssued, "http://purl.org/dc/terms/", "issued");
BIBKG_TERM(kIsPartOf, "http://purl.org/dc/terms/", "isPartOf");
BIBKG_TERM(kPublisher, "http://purl.org/dc/terms/", "publisher");
BIBKG_TERM(kRelation, "http://purl.org/dc/terms/", "relation");
BIBKG_TERM(kFormat, "http://purl.org/dc/terms/", "format");
BIBKG_TERM(kIdentifier, "http://purl.org/dc/terms/", "identifier");
BIBKG_TERM(kSource, "http://purl.org/dc/terms/", "source");
BIBKG_TERM(kContributor, "http://purl.org/dc/terms/", "contributor");
BIBKG_TERM(kBibliographicCitation, "http://purl.org/dc/terms/",
           "bibliographicCitation");
BIBKG_TERM(kExtent, "http://purl.org/dc/terms/", "extent");
BIBKG_TERM(kType, "http://purl.org/dc/terms/", "type");
BIBKG_TERM(kRights, "http://purl.org/dc/terms/", "rights");
BIBKG_TERM(kSpatial, "http://purl.org/dc/terms/", "spatial");
// BIBO
BIBKG_TERM(kDoi, "http://purl.org/ontology/bibo/", "doi");
BIBKG_TERM(kIssn, "http://purl.org/ontology/bibo/", "issn");
BIBKG_TERM(kEissn, "http://purl.org/ontology/bibo/", "eissn");
BIBKG_TERM(kIsbn13, "http://purl.org/ontology/bibo/", "isbn13");
BIBKG_TERM(kVolume, "http://purl.org/ontology/bibo/", "volume");
BIBKG_TERM(kIssue, "http://purl.org/ontology/bibo/", "issue");
BIBKG_TERM(kPageStart, "http://purl.org/ontology/bibo/", "pageStart");
BIBKG_TERM(kPageEnd, "http://purl.org/ontology/bibo/", "pageEnd");
BIBKG_TERM(kEdition, "http://purl.org/ontology/bibo/", "edition");
BIBKG_TERM(kIsbn10, "http://purl.org/ontology/bibo/", "isbn10");
BIBKG_TERM(kNote, "http://www.w3.org/2004/02/skos/core#", "note");
BIBKG_TERM(kLccn, "http://purl.org/ontology/bibo/", "lccn");
BIBKG_TERM(kOclcnum, "http://purl.org/ontology/bibo/", "oclcnum");
// FaBiO classes
BIBKG_TERM(kJournalArticle, "http://purl.org/spar/fabio/", "JournalArticle");
BIBKG_TERM(kJournal, "http://purl.org/spar/fabio/", "Journal");
BIBKG_TERM(kNewsItem, "http://purl.org/spar/fabio/", "NewsItem");
BIBKG_TERM(kBlogPost, "http://purl.org/spar/fabio/", "BlogPost");
BIBKG_TERM(kWebContent, "http://purl.org/spar/fabio/", "WebContent");
BIBKG_TERM(kBook, "http://purl.org/spar/fabio/", "Book");
BIBKG_TERM(kExpression, "http://purl.org/spar/fabio/", "Expression");
BIBKG_TERM(kBookChapter, "http://purl.org/spar/fabio/", "BookChapter");
BIBKG_TERM(kConferencePaper, "http://purl.org/spar/fabio/", "ConferencePaper");
BIBKG_TERM(kThesis, "http://purl.org/spar/fabio/", "Thesis");
BIBKG_TERM(kReportDocument, "http://purl.org/spar/fabio/", "ReportDocument");
BIBKG_TERM(kPeriodical, "http://purl.org/spar/fabio/", "Periodical");
BIBKG_TERM(kBookSeries, "http://purl.org/spar/fabio/", "BookSeries");
BIBKG_TERM(kDataset, "http://purl.org/spar/fabio/", "DataFile");
BIBKG_TERM(kComputerProgram, "http://purl.org/spar/fabio/", "ComputerProgram");
BIBKG_TERM(kHasUrl, "http://purl.org/spar/fabio/", "hasURL");
BIBKG_TERM(kHasPlaceOfPublication, "http://purl.org/spar/fabio/",
           "hasPlaceOfPublication");
// CiTO
BIBKG_TERM(kCites, "http://purl.org/spar/cito/", "cites");
// FRAPO
BIBKG_TERM(kProject, "http://purl.org/cerif/frapo/", "Project");
BIBKG_TERM(kFundingAgency, "http://purl.org/cerif/frapo/", "FundingAgency");
BIBKG_TERM(kIsFundedBy, "http://purl.org/cerif/frapo/", "isFundedBy");
BIBKG_TERM(kHasGrantNumber, "http://purl.org/cerif/frapo/", "hasGrantNumber");
// FOAF
BIBKG_TERM(kPerson, "http://xmlns.com/foaf/0.1/", "Person");
BIBKG_TERM(kOrganization, "http://xmlns.com/foaf/0.1/", "Organization");
BIBKG_TERM(kName, "http://xmlns.com/foaf/0.1/", "name");
BIBKG_TERM(kFamilyName, "http://xmlns.com/foaf/0.1/", "familyName");
BIBKG_TERM(kGivenName, "http://xmlns.com/foaf/0.1/", "givenName");
// SKOS
BIBKG_TERM(kConcept, "http://www.w3.org/2004/02/skos/core#", "Concept");
BIBKG_TERM(kPrefLabel, "http://www.w3.org/2004/02/skos/core#", "prefLabel");
BIBKG_TERM(kAltLabel, "http://www.w3.org/2004/02/skos/core#", "altLabel");
BIBKG_TERM(kBroader, "http://www.w3.org/2004/02/skos/core#", "broader");
BIBKG_TERM(kInScheme, "http://www.w3.org/2004/02/skos/core#", "inScheme");
BIBKG_TERM(kNotation, "http://www.w3.org/2004/02/skos/core#", "notation");
// schema.org (money and funding schemes, which FRAPO does not model)
BIBKG_TERM(kFundingScheme, "http://schema.org/", "FundingScheme");
BIBKG_TERM(kMonetaryAmount, "http://schema.org/", "MonetaryAmount");
BIBKG_TERM(kAmount, "http://schema.org/", "amount");
BIBKG_TERM(kValue, "http://schema.org/", "value");
BIBKG_TERM(kCurrency, "http://schema.org/", "currency");
BIBKG_TERM(kSchemaIsPartOf, "http://schema.org/", "isPartOf");
BIBKG_TERM(kStartDate, "http://schema.org/", "startDate");
BIBKG_TERM(kEndDate, "http://schema.org/", "endDate");
BIBKG_TERM(kSourceOrganization, "http://schema.org/", "sourceOrganization");
// bibkg
BIBKG_TERM(kMatchKey, "https://w3id.org/bibkg/ns#", "matchKey");
BIBKG_TERM(kUnresolved, "https://w3id.org/bibkg/ns#", "Unresolved");
BIBKG_TERM(kLocatorKey, "https://w3id.org/bibkg/ns#", "locatorKey");
BIBKG_TERM(kRefYear, "https://w3id.org/bibkg/ns#", "referenceYear");
BIBKG_TERM(kRefAuthor, "https://w3id.org/bibkg/ns#", "referenceAuthor");
BIBKG_TERM(kInvalidIssn, "https://w3id.org/bibkg/ns#", "invalidIssn");
BIBKG_TERM(kInvalidDoi, "https://w3id.org/bibkg/ns#", "invalidDoi");
BIBKG_TERM(kInvalidIsbn, "https://w3id.org/bibkg/ns#", "invalidIsbn");
BIBKG_TERM(kInvalidOrcid, "https://w3id.org/bibkg/ns#", "invalidOrcid");
BIBKG_TERM(kFundingNote, "https://w3id.org/bibkg/ns#", "fundingNote");
BIBKG_TERM(kAuthorityId, "https://w3id.org/bibkg/ns#", "authorityId");
// A work's funding link with its confidence: `<work> bibkg:fundingLink <l>`,
// `<l> a bibkg:FundingLink; bibkg:project <p>; bibkg:confidence 0.8;
// bibkg:evidence "the text the number was read from"`.
BIBKG_TERM(kFundingLink, "https://w3id.org/bibkg/ns#", "fundingLink");
BIBKG_TERM(kFundingLinkClass, "https://w3id.org/bibkg/ns#", "FundingLink");
BIBKG_TERM(kLinkProject, "https://w3id.org/bibkg/ns#", "project");
BIBKG_TERM(kConfidence, "https://w3id.org/bibkg/ns#", "confidence");
BIBKG_TERM(kEvidence, "https://w3id.org/bibkg/ns#", "evidence");
// Project roles.
BIBKG_TERM(kCoordinator, "https://w3id.org/bibkg/ns#", "coordinator");
BIBKG_TERM(kParticipant, "https://w3id.org/bibkg/ns#", "participant");
BIBKG_TERM(kPrincipalInvestigator, "https://w3id.org/bibkg/ns#",
           "principalInvestigator");
BIBKG_TERM(kHasAcronym, "http://purl.org/cerif/frapo/", "hasAcronym");
BIBKG_TERM(kHasCallIdentifier, "http://purl.org/cerif/frapo/",
           "hasCallIdentifier");
BIBKG_TERM(kRorId, "https://w3id.org/bibkg/ns#", "ror");
BIBKG_TERM(kCorporateBody, "http://xmlns.com/foaf/0.1/", "Organization");
BIBKG_TERM(kGrant, "http://purl.org/cerif/frapo/", "Grant");
BIBKG_TERM(kXsdAnyUri, "http://www.w3.org/2001/XMLSchema#", "anyURI");

#undef BIBKG_TERM

}  // namespace bibkg::vocab

#endif  // BIBKG_TEXT_VOCAB_H_
