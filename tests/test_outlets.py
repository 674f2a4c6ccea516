"""The outlet gazetteer: data validity, domain and name lookups, mentions in prose."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import resources

import pytest

from pipeline.outlets import KINDS, Gazetteer, GazetteerError, OutletEntry, gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    """The bundled gazetteer."""
    return gazetteer()


def _found(
    gaz: Gazetteer,
    text: str,
    include_weak: bool = False,
    context: Iterable[OutletEntry] = (),
) -> list[tuple[str, str]]:
    return [(text[s:e], entry.name) for s, e, entry in gaz.find(text, include_weak, context)]


# -- the data ----------------------------------------------------------------------------


def test_loads_with_enough_entries(gaz: Gazetteer) -> None:
    assert len(gaz) >= 400
    assert gazetteer() is gaz  # cached
    assert all(isinstance(e, OutletEntry) for e in gaz)


def test_every_kind_valid_and_used(gaz: Gazetteer) -> None:
    assert {e.kind for e in gaz} <= set(KINDS)
    kinds = gaz.kinds()
    for kind in (
        "news_agency",
        "broadcaster",
        "newspaper",
        "magazine",
        "online",
        "official_statement",
    ):
        assert kinds.get(kind, 0) >= 10, kind
    assert sum(kinds.values()) == len(gaz)


def test_entries_are_well_formed(gaz: Gazetteer) -> None:
    for entry in gaz:
        assert entry.domains, entry.name
        assert entry.country is None or (len(entry.country) == 2 and entry.country.isupper())
        assert entry.source.strip()


def test_no_duplicate_names_aliases_or_domains(gaz: Gazetteer) -> None:
    names = Counter(e.name for e in gaz)
    assert [n for n, c in names.items() if c > 1] == []
    owners: dict[str, str] = {}
    for entry in gaz:
        strong = {entry.name, *entry.aliases} - set(entry.weak_aliases)
        for alias in strong:
            key = alias.casefold().removeprefix("the ").strip()
            assert owners.setdefault(key, entry.name) == entry.name, (alias, owners[key])
    domains = Counter(d for e in gaz for d in e.domains)
    assert [d for d, c in domains.items() if c > 1] == []


def test_covers_the_world(gaz: Gazetteer) -> None:
    countries = {e.country for e in gaz}
    for cc in (
        "US",
        "GB",
        "FR",
        "DE",
        "RU",
        "CN",
        "JP",
        "IN",
        "BR",
        "NG",
        "ZA",
        "AU",
        "QA",
        "TR",
        "MX",
        "KR",
        "EG",
        "CA",
    ):
        assert cc in countries, cc
    assert None in countries  # international bodies


def test_package_data_is_jsonl() -> None:
    text = resources.files("pipeline").joinpath("data", "outlets.jsonl").read_text("utf-8")
    for line in text.splitlines():
        record = json.loads(line)
        assert {"name", "kind", "country", "aliases", "domains", "source"} <= set(record)


# -- validation --------------------------------------------------------------------------

_GOOD: dict[str, object] = {
    "name": "Example News",
    "kind": "online",
    "country": "US",
    "aliases": ["EN"],
    "domains": ["example.com"],
    "source": "test",
}


def _jsonl(*records: Mapping[str, object]) -> str:
    return "\n".join(json.dumps(r) for r in records)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({**_GOOD, "kind": "blog"}, "unknown kind"),
        ({**_GOOD, "country": "USA"}, "ISO 3166"),
        ({**_GOOD, "domains": ["https://example.com/"]}, "host name"),
        ({**_GOOD, "domains": []}, "at least one domain"),
        ({**_GOOD, "colour": "red"}, "unknown field"),
        ({k: v for k, v in _GOOD.items() if k != "source"}, "missing field"),
    ],
)
def test_validation_names_the_line(bad: dict[str, object], message: str) -> None:
    other = {**_GOOD, "name": "Other", "aliases": [], "domains": ["other.org"]}
    with pytest.raises(GazetteerError, match=rf"outlets\.jsonl:2: .*{message}"):
        Gazetteer.from_jsonl(_jsonl(other, bad), origin="outlets.jsonl")


def test_validation_rejects_an_alias_of_two_entries() -> None:
    other = {**_GOOD, "name": "Other", "aliases": ["EN"], "domains": ["other.org"]}
    with pytest.raises(GazetteerError, match=r"x:2: .*'EN' also names 'Example News' \(x:1\)"):
        Gazetteer.from_jsonl(_jsonl(_GOOD, other), origin="x")


def test_validation_rejects_duplicate_names_and_domains() -> None:
    with pytest.raises(GazetteerError, match=r"x:2: duplicate name"):
        Gazetteer.from_jsonl(_jsonl(_GOOD, {**_GOOD, "aliases": []}), origin="x")
    twin = {**_GOOD, "name": "Twin", "aliases": []}
    with pytest.raises(GazetteerError, match=r"x:2: domain 'example.com' already belongs"):
        Gazetteer.from_jsonl(_jsonl(_GOOD, twin), origin="x")


def test_weak_aliases_may_be_shared() -> None:
    a = {**_GOOD, "weak_aliases": ["the Post"]}
    b = {**_GOOD, "name": "B", "aliases": [], "domains": ["b.org"], "weak_aliases": ["the Post"]}
    assert len(Gazetteer.from_jsonl(_jsonl(a, b))) == 2


# -- by_domain ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.nytimes.com/2016/10/04/us/politics/trump.html", "The New York Times"),
        ("edition.cnn.com", "CNN"),
        ("http://m.bbc.co.uk/news/world", "BBC"),
        ("www.bbc.com", "BBC"),
        ("https://apnews.com/article/abc", "Associated Press"),
        ("WWW.Reuters.COM:443/world/", "Reuters"),
        ("https://www.asiafinancial.com/china-x", "Asia Financial"),
        ("http://english.news.cn/20240101/x.html", "Xinhua News Agency"),
        ("http://www.fmprc.gov.cn/eng/xwfw/", "Chinese Foreign Ministry"),
        ("kremlin.ru", "Kremlin"),
        ("https://www.washingtonpost.com/politics/", "The Washington Post"),
        ("https://abcnews.go.com/Politics/x", "ABC News"),
        ("https://www.abc.net.au/news/x", "Australian Broadcasting Corporation"),
        ("https://news.un.org/en/story/x", "UN News"),
        ("https://www.un.org/sg/en", "United Nations"),
        ("https://folha.uol.com.br/x", "Folha de S.Paulo"),
    ],
)
def test_by_domain(gaz: Gazetteer, url: str, expected: str) -> None:
    entry = gaz.by_domain(url)
    assert entry is not None and entry.name == expected


@pytest.mark.parametrize(
    "url", ["https://example.com/", "notnytimes.com", "nytimes.com.evil.org", "", "http://"]
)
def test_by_domain_misses(gaz: Gazetteer, url: str) -> None:
    assert gaz.by_domain(url) is None


# -- by_name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("AP", "Associated Press"),
        ("the Associated Press", "Associated Press"),
        ("AFP", "Agence France-Presse"),
        ("Agence France Presse", "Agence France-Presse"),
        ("Reuters", "Reuters"),
        ("REUTERS", "Reuters"),
        ("the new york times", "The New York Times"),
        ("NYT", "The New York Times"),
        ("FT", "Financial Times"),
        ("AF", "Asia Financial"),
        ("CCTV", "China Central Television"),
        ("China Central Television", "China Central Television"),
        ("Chinese Foreign Ministry", "Chinese Foreign Ministry"),
        ("the Kremlin", "Kremlin"),
        ("SCMP", "South China Morning Post"),
        ("dpa", "Deutsche Presse-Agentur"),
        ("breitbart", "Breitbart News"),
        ("huffingtonpost", "HuffPost"),
        ("foxnews", "Fox News"),
        ("usa-today", "USA Today"),
        ("huff-post", "HuffPost"),
        ("Time", "Time"),
        ("nyt", "The New York Times"),
        ("wash-post", "The Washington Post"),
        ("west-journal", "The Western Journal"),
        ("politico", "Politico"),
        ("The Hill", "The Hill"),
    ],
)
def test_by_name(gaz: Gazetteer, name: str, expected: str) -> None:
    entry = gaz.by_name(name)
    assert entry is not None, name
    assert entry.name == expected


@pytest.mark.parametrize(
    "name",
    [
        "ap",
        "af",
        "ft",
        "Ap",
        "the Times",
        "the Post",
        "Post",
        "the Mail",
        "time",
        "economist",
        "Drudge",
        "Stern",
        "Dawn",
        "the foreign ministry",
        "",
        "The",
    ],
)
def test_by_name_misses(gaz: Gazetteer, name: str) -> None:
    assert gaz.by_name(name) is None


def test_abc_is_two_outlets(gaz: Gazetteer) -> None:
    us, au = gaz.by_name("ABC News"), gaz.by_name("Australian Broadcasting Corporation")
    assert us is not None and us.country == "US"
    assert au is not None and au.country == "AU"
    assert gaz.by_name("ABC") is None  # ambiguous: US, Australia, Spain


# -- find --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "President Xi said, according to state broadcaster CCTV.",
            [("CCTV", "China Central Television")],
        ),
        ("The New York Times reported on Monday.", [("The New York Times", "The New York Times")]),
        ("a report in the New York Times", [("the New York Times", "The New York Times")]),
        ("Reuters' reporters", [("Reuters", "Reuters")]),
        ("WASHINGTON (Reuters) - The Senate voted.", [("Reuters", "Reuters")]),
        ("CNN's Jake Tapper asked him.", [("CNN", "CNN")]),
        ("he told the AP in an interview", [("AP", "Associated Press")]),
        ("he told The Associated Press", [("Associated Press", "Associated Press")]),
        ("as related by Bloomberg", [("Bloomberg", "Bloomberg News")]),
        ("TASS wrote that the talks had ended", [("TASS", "TASS")]),
        (
            "a Chinese foreign ministry statement quoted Xi as saying",
            [("Chinese foreign ministry", "Chinese Foreign Ministry")],
        ),
        (
            "This article appeared in the South China Morning Post",
            [("South China Morning Post", "South China Morning Post")],
        ),
        ("Speaking to Fox News and MSNBC", [("Fox News", "Fox News"), ("MSNBC", "MSNBC")]),
        ("an interview with Politico", [("Politico", "Politico")]),
        ("an interview with POLITICO", [("POLITICO", "Politico")]),
        ("first reported by The Hill", [("The Hill", "The Hill")]),
        (
            "the Financial Times (FT) said",
            [("Financial Times", "Financial Times"), ("FT", "Financial Times")],
        ),
        ("AF reported that Beijing", [("AF", "Asia Financial")]),
        (
            "told Der Spiegel and Le Monde",
            [("Der Spiegel", "Der Spiegel"), ("Le Monde", "Le Monde")],
        ),
        ("NHK and Kyodo News reported", [("NHK", "NHK"), ("Kyodo News", "Kyodo News")]),
        ("the Times of India reported", [("the Times of India", "The Times of India")]),
        (
            "in an op-ed for The Wall Street Journal",
            [("The Wall Street Journal", "The Wall Street Journal")],
        ),
        ("Al Jazeera and Al-Jazeera", [("Al Jazeera", "Al Jazeera"), ("Al-Jazeera", "Al Jazeera")]),
        (
            "the People's Daily and the People’s Daily",
            [("People's Daily", "People's Daily"), ("People’s Daily", "People's Daily")],
        ),
        ("Time magazine named him", [("Time magazine", "Time")]),
        ("the White House said in a readout", [("White House", "White House")]),
        ("the Kremlin said", [("Kremlin", "Kremlin")]),
        ("told the New York\nTimes", [("the New York\nTimes", "The New York Times")]),
        ("THE NEW YORK TIMES", [("THE NEW YORK TIMES", "The New York Times")]),
        ("Trump told Reuters Tuesday", [("Reuters", "Reuters")]),
        ("he told the New Yorker", [("the New Yorker", "The New Yorker")]),
        (
            "As the International Business Times noted",
            [("International Business Times", "International Business Times")],
        ),
        ("he said on Meet the Press", [("Meet the Press", "NBC News")]),
        ("named by Time Magazine", [("Time Magazine", "Time")]),
        ("Lasry told Bloomberg Politics in May", [("Bloomberg Politics", "Bloomberg News")]),
        ("he told Britain's ITV and France's BFM TV", [("ITV", "ITV News"), ("BFM TV", "BFMTV")]),
        ("a post on X, formerly Twitter, said", [("X, formerly Twitter", "Twitter")]),
    ],
)
def test_find(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(gaz, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He walked up the hill to the post office and read the mail.",
        "The sun rose over the times square mirror; it is time to go.",
        "Check the ap and af settings; the ft of rope was enough.",
        "The post was shared widely. Time will tell. The mirror broke.",
        "Michael Bloomberg and Steve Forbes met Andrew Breitbart.",
        "Michael R. Bloomberg spoke.",
        "CCTV footage showed the suspect, and CCTV cameras caught it.",
        "She took AP classes and an AP exam.",
        "The foreign ministry said it would respond; the ministry declined.",
        "the times they are a-changing; at the same time, the guardian of the economy",
        "Nikkei index rose. The economist said the independent candidate won.",
        "the reason is the slate of candidates in the salon",
        "a global times table; a daily mail round; an associated press conference",
        "a march to the Independent National Electoral Commission",
        "The Pentagon Papers and the Reuters Institute report",
        "CBC Chairman G.K. Butterfield said; The Age of Oversupply; SMH",
        "Malcolm X spoke. Generation X and the Guardian Council",
        "The Australian government and the Hindu community; Namibian officials; TSA agents",
        "The Atlantic coast braced for the storm. The Federalist Papers.",
        "Trump is a New Yorker, born and raised.",
        "RT @user: watch Channel 4 tonight; Sky is blue; Trend Micro and Geo Group",
    ],
)
def test_find_ignores_common_words(gaz: Gazetteer, text: str) -> None:
    assert _found(gaz, text) == []


def test_weak_aliases_need_support(gaz: Gazetteer) -> None:
    text = "The Washington Post reported it first. The Post said he declined to comment."
    assert _found(gaz, text) == [("The Washington Post", "The Washington Post")]
    assert _found(gaz, text, include_weak=True) == [
        ("The Washington Post", "The Washington Post"),
        ("The Post", "The Washington Post"),
    ]
    nypost = "the New York Post said; the Post added"
    assert _found(gaz, nypost, include_weak=True)[-1] == ("the Post", "New York Post")
    bare = "the Post said he declined to comment"
    assert _found(gaz, bare, include_weak=True) == []
    wapo = gaz.by_name("Washington Post")
    assert wapo is not None
    assert _found(gaz, bare, include_weak=True, context=[wapo]) == [
        ("the Post", "The Washington Post")
    ]


def test_weak_alias_prefers_nearest_supported_outlet(gaz: Gazetteer) -> None:
    text = (
        "The New York Times and the Los Angeles Times both ran it. "
        "The Los Angeles Times said more. The Times added a correction."
    )
    found = _found(gaz, text, include_weak=True)
    assert found[-1] == ("The Times", "Los Angeles Times")


def test_the_times_alone_is_not_a_strong_mention(gaz: Gazetteer) -> None:
    assert _found(gaz, "The Times reported that the Times was right.") == []


def test_abbreviations_are_case_sensitive(gaz: Gazetteer) -> None:
    assert _found(gaz, "the AP said") == [("AP", "Associated Press")]
    assert _found(gaz, "the ap said; Ap said") == []
    assert _found(gaz, "per the FT and AFP") == [
        ("FT", "Financial Times"),
        ("AFP", "Agence France-Presse"),
    ]
    assert _found(gaz, "per the ft and afp") == []


def test_find_offsets_are_exact(gaz: Gazetteer) -> None:
    text = "Xi told Xinhua. Putin told TASS and RIA Novosti; Modi spoke to PTI."
    for start, end, entry in gaz.find(text):
        assert gaz.by_name(text[start:end]) == entry


def test_find_is_fast_on_a_long_text(gaz: Gazetteer) -> None:
    # No timing assertion: the scan is one tokenisation and one trie walk per token.
    sentence = (
        "The minister told Reuters on Tuesday that talks with officials in Beijing, "
        "reported earlier by the South China Morning Post, would resume next week. "
    )
    text = sentence * 200  # about 5,000 words
    found = gaz.find(text, include_weak=True)
    assert len(found) == 400
