#!/usr/bin/env python3
"""Generate a large, realistically shaped MARC 21 (ISO 2709) file.

usage: gen-marc.py N_RECORDS OUT.mrc [seed] [first]

Control numbers run from `first` (default 0): files made with different
`first` values hold different records, with equal ones the same records.

Every record starts from a real record of tests/data/fixtures (UTF-8 and
MARC-8 ones, about 20% MARC-8 with their 8-bit diacritics kept) and gets a
new control number (001), a varied title, 1-4 authors drawn Zipf-like from a
pool of 200,000 names, 1-5 subject headings (Zipf over 5,000), a year, a
valid ISBN-13 (70%), an abstract (50%), a host journal with ISSN and
"Vol. N, no. N (YYYY), p. A-B" enumeration (30%), and a funding note (5%).
Record order and content are fixed by the seed.
"""
import os
import random
import sys

FS, RS, SD = b"\x1e", b"\x1d", b"\x1f"
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "tests", "data", "fixtures")
UTF8_TEMPLATES = ["traject/test_data.utf8.mrc", "yaz/marccol1.u8.marc",
                  "yaz/marccol5.u8.marc"]
MARC8_TEMPLATES = ["marc-perl/makrbrkr.mrc", "marc-record/camel.usmarc",
                   "marc-file-mij/test.mrc"]

WORDS = (
    "digital library libraries catalog catalogue metadata bibliographic "
    "citation retrieval information search ranking evaluation study survey "
    "approach method system framework archive archives preservation history "
    "medieval manuscripts printing public sector leadership transformation "
    "municipal government policy innovation management organisation learning "
    "knowledge network networks graph graphs semantic linked open data science "
    "research funding council project projects europe norway germany climate "
    "energy health education children language languages literature poetry "
    "music art architecture design economics markets labour social media "
    "communication journalism news ethics law rights governance security "
    "Digitalisierung Verwaltung Bibliothek Forschung digitalisering kommune "
    "forvaltning ledelse bibliotek forskning").split()
FIRST = ("Anna Kari Ola Jan Maria Peter Eva Lars Ingrid Hans Sofie Erik Nora "
         "Jonas Emma Lukas Lea Felix Marta Pavel Ana Luis Chen Wei Aiko Omar "
         "Fatima Ahmed Ravi Priya Rebecca John Mary James Linda").split()
FAMILY = ("Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen "
          "Jensen Karlsen Müller Schmidt Schneider Fischer Weber Meyer Wagner "
          "Becker Schulz Hoffmann Smith Johnson Williams Brown Jones Garcia "
          "Miller Davis Rodriguez Martinez Hill Øvergård Ødegård Bjørnstad "
          "Ærø Dvořák Łukasz Nowak Kowalski Wiśniewski").split()
SUBJECT_HEADS = ("Digital libraries|Public administration|Leadership|"
                 "Information technology|Municipal government|Libraries|"
                 "Cataloging|Metadata|Research|Education|Climate change|"
                 "Energy policy|Public health|Children|Literature|Music|"
                 "Architecture|Economics|Social media|Journalism|Ethics|Law|"
                 "Computer networks|Semantic Web|Archives|Manuscripts|"
                 "Printing|History|Innovation|Organizational change").split("|")
SUBDIVISIONS = ["History", "Management", "Norway", "Germany", "Europe",
                "Case studies", "20th century", "21st century", "Periodicals",
                "Statistics", "Law and legislation", "Research"]


def parse_iso2709(data):
    records = []
    for raw in data.split(RS):
        raw = raw.lstrip(b"\x00\x1a \r\n")
        if len(raw) < 24 or not raw[:5].isdigit():
            continue
        try:
            base = int(raw[12:17])
        except ValueError:
            continue
        directory = raw[24:base - 1]
        fields = []
        for i in range(0, len(directory) - 11, 12):
            tag = directory[i:i + 3]
            try:
                length = int(directory[i + 3:i + 7])
                start = int(directory[i + 7:i + 12])
            except ValueError:
                fields = None
                break
            body = raw[base + start:base + start + length].rstrip(FS)
            fields.append((tag, body))
        if fields:
            records.append((bytearray(raw[:24]), fields))
    return records


def load(paths):
    out = []
    for p in paths:
        with open(os.path.join(FIXTURES, p), "rb") as f:
            out.extend(parse_iso2709(f.read()))
    return out


def zipf_index(rng, n):
    # A power law: index i is drawn with density ~ i^(-2/3), so a few
    # authors, subjects and journals are very frequent and most are rare.
    return min(n - 1, int(n * rng.random() ** 3))


def isbn13(n):
    twelve = "978" + "%09d" % (n % 10**9)
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(twelve))
    return twelve + str((10 - total % 10) % 10)


def issn(n):
    seven = "%07d" % (1000000 + n)
    total = sum(int(c) * (8 - i) for i, c in enumerate(seven))
    check = (11 - total % 11) % 11
    return seven[:4] + "-" + seven[4:] + ("X" if check == 10 else str(check))


def sub(code, value):
    return SD + code + value


def build(leader, fields):
    directory, data = b"", b""
    for tag, body in fields:
        body = body + FS
        directory += tag + b"%04d%05d" % (len(body) % 10000,
                                          len(data) % 100000)
        data += body
    base = 24 + len(directory) + 1
    total = base + len(data) + 1
    leader[0:5] = b"%05d" % (total % 100000)
    leader[12:17] = b"%05d" % base
    return bytes(leader) + directory + FS + data + RS


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out_path = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    utf8 = load(UTF8_TEMPLATES)
    marc8 = load(MARC8_TEMPLATES)
    names = ["%s, %s" % (rng.choice(FAMILY) + ("" if i < 40 else str(i)),
                         rng.choice(FIRST)) for i in range(200000)]
    subjects = []
    for i in range(5000):
        head = SUBJECT_HEADS[i % len(SUBJECT_HEADS)]
        subjects.append(head if i < len(SUBJECT_HEADS) else
                        "%s -- %s %d" % (head, rng.choice(SUBDIVISIONS), i))
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
                 .capitalize() + "." for _ in range(2000)]
    journals = [(" ".join(rng.choice(WORDS) for _ in range(3)).title(), issn(j))
                for j in range(2000)]
    with open(out_path, "wb") as out:
        for i in range(n):
            is_marc8 = rng.random() < 0.2
            leader, tfields = (marc8 if is_marc8 else utf8)[i % len(
                marc8 if is_marc8 else utf8)]
            leader = bytearray(leader)
            leader[5:6] = b"n"
            leader[9:10] = b" " if is_marc8 else b"a"
            year = rng.randint(1950, 2024)
            article = rng.random() < 0.3
            if article:
                leader[7:8] = b"a"
            enc = "latin-1" if is_marc8 else "utf-8"
            fields = [(b"001", b"gen%09d" % (first + i)), (b"003", b"BIBKG"),
                      (b"008", b"240101s%d    xx            000 0 eng d" % year)]
            if rng.random() < 0.7:
                fields.append((b"020", b"  " + sub(b"a", isbn13(i).encode())))
            authors = [names[zipf_index(rng, len(names))]
                       for _ in range(rng.randint(1, 4))]
            if is_marc8:
                authors = [a.encode("ascii", "ignore").decode() for a in authors]
            fields.append((b"100", b"1 " + sub(b"a", authors[0].encode(enc)) +
                           sub(b"e", b"author.")))
            title_words = [rng.choice(WORDS) for _ in range(rng.randint(3, 9))]
            kept = [f for t, f in tfields if t == b"245"]
            base_title = kept[0].split(SD)[1][1:] if kept and SD in kept[0] \
                else b"Untitled"
            title = (" ".join(title_words).capitalize().encode(enc) + b" : " +
                     base_title.rstrip(b" /:.")[:60])
            fields.append((b"245", b"10" + sub(b"a", title) +
                           sub(b"c", b"by " + authors[0].encode(enc) + b".")))
            fields.append((b"260", b"  " + sub(b"a", b"Oslo :") +
                           sub(b"b", b"Universitetsforlaget,") +
                           sub(b"c", b"%d." % year)))
            fields.append((b"300", b"  " + sub(b"a", b"%d p." %
                                               rng.randint(20, 600))))
            # Real fields of the template: notes, series, 6XX, 856.
            for tag, body in tfields:
                if tag in (b"490", b"500", b"504", b"651", b"655", b"856"):
                    fields.append((tag, body))
            if rng.random() < 0.5:
                fields.append((b"520", b"  " + sub(
                    b"a", rng.choice(sentences).encode(enc))))
            if rng.random() < 0.05:
                fields.append((b"536", b"  " + sub(
                    b"a", b"Research Council of Norway") + sub(
                    b"c", b"%d" % (200000 + rng.randint(0, 99999)))))
            for _ in range(rng.randint(1, 5)):
                s = subjects[zipf_index(rng, len(subjects))]
                parts = s.split(" -- ")
                body = b" 0" + sub(b"a", parts[0].encode(enc))
                for p in parts[1:]:
                    body += sub(b"x", p.encode(enc))
                fields.append((b"650", body))
            for a in authors[1:]:
                fields.append((b"700", b"1 " + sub(b"a", a.encode(enc))))
            if article:
                jt, js = journals[zipf_index(rng, len(journals))]
                vol = year - 1900
                p1 = rng.randint(1, 900)
                fields.append((b"773", b"0 " + sub(b"t", jt.encode(enc)) +
                               sub(b"x", js.encode()) + sub(
                    b"g", b"Vol. %d, no. %d (%d), p. %d-%d" % (
                        vol, rng.randint(1, 12), year, p1,
                        p1 + rng.randint(5, 40)))))
            fields.sort(key=lambda f: f[0])
            out.write(build(leader, fields))


if __name__ == "__main__":
    main()
