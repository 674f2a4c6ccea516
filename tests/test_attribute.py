"""The attribute stage, construction by construction, on one-sentence (or one-paragraph) cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.api import document_from_text
from pipeline.stages.attribute import attribute, cue_lexicon
from pipeline.stages.segment import segment
from schemas.models import Attribution

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# (kind, content, speaker mention, cue lemma); None where there is none.
Row = tuple[str, str, str | None, str | None]


def run(nlp: Language, text: str) -> list[Attribution]:
    """Attribute ``text`` as a whole article (blank lines separate paragraphs)."""
    document = document_from_text("t", text)
    doc = nlp(text)
    return attribute(document, segment(document, doc), doc)


def rows(atts: list[Attribution]) -> list[Row]:
    """The comparable fields of each attribution."""
    return [
        (a.kind, a.text, a.speaker.text if a.speaker else None, a.cue.lemma if a.cue else None)
        for a in atts
    ]


def row_holding(nlp: Language, text: str, content: str) -> Row:
    """The first attribution of ``text`` whose content holds ``content``; fails if none does."""
    got = rows(run(nlp, text))
    holding = [r for r in got if content in r[1]]
    assert holding, f"no attribution holds {content!r}; got {got}"
    return holding[0]


def mentions_of(nlp: Language, text: str, content: str) -> list[str | None]:
    """The speaker mention of each attribution of ``text`` whose content is ``content``."""
    return [a.speaker.text if a.speaker else None for a in run(nlp, text) if a.text == content]


@pytest.mark.parametrize(
    "text, expected",
    [
        # X said / said X
        ("“We will win this fight,” the mayor said.",
         ("direct", "We will win this fight", "the mayor", "say")),
        ("“We will win this fight,” said Maria Lopez.",
         ("direct", "We will win this fight", "Maria Lopez", "say")),
        ("“It is over,” said Interior Minister Ana Silva.",
         ("direct", "It is over", "Interior Minister Ana Silva", "say")),
        ("“I am proud of this city,” he said on Monday.",
         ("direct", "I am proud of this city", "he", "say")),
        # X told Y, X added, colon
        ("The minister told reporters: “Prices will fall next year.”",
         ("direct", "Prices will fall next year.", "The minister", "tell")),
        ("“The deal is done,” she added.", ("direct", "The deal is done", "she", "add")),
        ("The coach explained his choice: “We needed fresh legs.”",
         ("direct", "We needed fresh legs.", "The coach", "explain")),
        # X, who ..., said / apposition
        ("Tom Baker, who chairs the committee, said the vote would be delayed.",
         ("indirect", "the vote would be delayed", "Tom Baker", "say")),
        ("Hugh Hill, a doctor at the clinic, said the virus was spreading fast.",
         ("indirect", "the virus was spreading fast", "Hugh Hill", "say")),
        # according to X, X was quoted as saying, a statement quoted X as saying
        ("The budget will be cut by ten percent, according to a senior official.",
         ("indirect", "The budget will be cut by ten percent", "a senior official",
          "according to")),
        ("“We are not leaving,” the governor was quoted as saying.",
         ("direct", "We are not leaving", "the governor", "quote as say")),
        ("“Trade will grow,” a ministry statement quoted the president as saying.",
         ("direct", "Trade will grow", "the president", "quote as say")),
        # indirect speech, trailing cue, writing verbs
        ("The talks will resume next week, a Kremlin official said.",
         ("indirect", "The talks will resume next week", "a Kremlin official", "say")),
        ("The newspaper wrote that the mayor had resigned.",
         ("indirect", "the mayor had resigned", "The newspaper", "write")),
        ("Smith tweeted that the meeting was cancelled.",
         ("indirect", "the meeting was cancelled", "Smith", "tweet")),
        # partial quotes: the reported clause is the content
        ("The senator said on Monday that the bill was “a disaster for farmers”.",
         ("partial", "the bill was “a disaster for farmers”", "The senator", "say")),
        ("Putin acknowledged that Xi had “questions and concerns” about the war.",
         ("partial", "Xi had “questions and concerns” about the war", "Putin", "acknowledge")),
        # quotes of several sentences, apostrophes inside
        ("“We won. We will win again,” the coach said.",
         ("direct", "We won. We will win again", "the coach", "say")),
        ("“The voters’ mood has changed since the ’90s,” the pollster said.",
         ("direct", "The voters’ mood has changed since the ’90s", "the pollster", "say")),
        ("“We do have deep concerns,” a senior U.S. official told reporters.",
         ("direct", "We do have deep concerns", "a senior U.S. official", "tell")),
        ("“We will appeal,” the lawyer said, according to court records.",
         ("direct", "We will appeal", "the lawyer", "say")),
        ('"We are watching closely," State Department spokesman Ned Price said.',
         ("direct", "We are watching closely", "State Department spokesman Ned Price", "say")),
        # a negator inside the quotation does not negate the cue
        ("“Are we there yet? Probably not,” Ms. Moore said.",
         ("direct", "Are we there yet? Probably not", "Ms. Moore", "say")),
        # a quotation's own first word is no setting of the cue ("said Sunday")
        ("“Now that I am retired, I can speak,” he told the host, “it was hard.”",
         ("direct", "Now that I am retired, I can speak", "he", "tell")),
        # a verb with a subject right before ", “" introduces the quotation
        ("During the debate, Hillary Clinton cracked, “I am a progressive who gets things done.”",
         ("direct", "I am a progressive who gets things done.", "Hillary Clinton", "crack")),
        # a name misparsed as an apposition of a date still speaks
        ("But on Dec. 2, Col. Steven H. Warren, a military spokesman in Baghdad, said, "
         "“A raid is a combat operation. There is no way around that.”",
         ("direct", "A raid is a combat operation. There is no way around that.",
          "Col. Steven H. Warren", "say")),
        # party and state in parentheses are no part of the speaker
        ("Rep. Paul Ryan (R-WI) said, “These images have no place in a campaign.”",
         ("direct", "These images have no place in a campaign.", "Rep. Paul Ryan", "say")),
        # a participle after a comma is the name's verb, not a reduced passive
        ("Mitt Romney, the 2012 nominee, tweeted in response: “Putin kills journalists and "
         "opponents.”",
         ("direct", "Putin kills journalists and opponents.", "Mitt Romney", "tweet")),
        # the one prompted to say it says it
        ("Mr. Trump was prompted to say, “I cannot believe how civil it has been up here.”",
         ("direct", "I cannot believe how civil it has been up here.", "Mr. Trump", "say")),
        # a quotation mark glued to the next word
        ("“We will not back down,”Clinton said.",
         ("direct", "We will not back down", "Clinton", "say")),
        # a dateline is not the speaker
        ("LONDON (Reuters) - Donald Trump said he was unlikely to get on with the prime "
         "minister.",
         ("indirect", "he was unlikely to get on with the prime minister", "Donald Trump",
          "say")),
        # of two subjects the parse gives a cue, the nearest
        ("Tuesday in Berea, OH, after winning the primary, Gov. John Kasich said, “We are "
         "going all the way.”",
         ("direct", "We are going all the way.", "Gov. John Kasich", "say")),
        # a name mistagged as an adverb after the cue
        ("“Having access to the file is valuable,” said Skelly, explaining his work.",
         ("direct", "Having access to the file is valuable", "Skelly", "say")),
        # "said X and said, “...”" with the second cue misattached into the first's clause
        ("De Blasio said the move was made by the police commissioner and said, “Who are "
         "you going to trust on security?”",
         ("direct", "Who are you going to trust on security?", "De Blasio", "say")),
        # a that-clause hung on "in a statement" is what is said, not the setting
        ("The council's director Nihad Awad says in a statement that Trump’s “rhetoric has "
         "crossed the line.”",
         ("partial", "Trump’s “rhetoric has crossed the line.", "The council's director",
          "say")),
        # a planned or predicted inner cue reports nothing: the outer speaker's words
        ("Obama said he expected that Americans will say “no” to the plan.",
         ("partial", "he expected that Americans will say “no” to the plan", "Obama", "say")),
        # a thing that "says" inside someone's report does not take the quotation
        ("City Attorney Brad Holm said in the letter that the advertisement “wrongfully” "
         "suggests that the officers support the campaign.",
         ("partial", "the advertisement “wrongfully” suggests that the officers support the "
          "campaign", "City Attorney Brad Holm", "say")),
        # a parenthetical cue reports its whole sentence, quoted words included
        ("African-Americans, he said, can “rock like Jimi” and “stir the pot.”",
         ("partial", "“rock like Jimi” and “stir the pot.”", "he", "say")),
        # texts that read, songs that are sung
        ("“Business leaders honored Donald J. Trump yesterday,” the article read.",
         ("direct", "Business leaders honored Donald J. Trump yesterday", "the article", "read")),
        # an event noun announces nothing; the clause's speaker does
        ("“We will get there,” she said at a news conference announcing that her department "
         "was suing the state.",
         ("indirect", "her department was suing the state", "she", "announce")),
        # a referential "it" speaks ("It said ..."); an expletive one does not
        ("The Russian presidential office praised the talks.\n\nIt said the presidents "
         "reaffirmed their willingness to cooperate.",
         ("indirect", "the presidents reaffirmed their willingness to cooperate", "It", "say")),
        # an opening "as" clause of saying reports the clause it hangs on
        ("As Breitbart News reported, the White House was refusing to call it terrorism.",
         ("indirect", "the White House was refusing to call it terrorism", "Breitbart News",
          "report")),
        # a name after a spaced dash, then a colon, names the quotation's speaker
        ("POLLS GOT IT RIGHT - Carl Bialik: “Keep on contacting voters as late as possible.”",
         ("direct", "Keep on contacting voters as late as possible.", "Carl Bialik", ":")),
        # a quotation signed with a dash and a name
        ("“The debate was a disgrace to the country.” ― Carla Sanchez",
         ("direct", "The debate was a disgrace to the country.", "Carla Sanchez", "—")),
        ("“We will keep fighting for our schools.” -- Sen. Ted Cruz, R-Texas.",
         ("direct", "We will keep fighting for our schools.", "Sen. Ted Cruz", "—")),
    ],
)
def test_construction(nlp: Language, text: str, expected: Row) -> None:
    assert expected in rows(run(nlp, text))


def test_dash_signature_needs_a_name(nlp: Language) -> None:
    text = "“We will win,” he said ― and then the crowd went wild after the speech ended."
    assert all(r[3] != "—" for r in rows(run(nlp, text)))


def test_headline_name_tagged_as_a_noun(nlp: Language) -> None:
    text = "Trump: 'We are going to win so much.'\n\nDonald Trump was magnanimous on Tuesday."
    assert rows(run(nlp, text))[0] == ("direct", "We are going to win so much.", "Trump", ":")


def test_coordinated_cue_after_a_passive(nlp: Language) -> None:
    text = "Silverman was joined on stage by Al Franken and joked, “You are being ridiculous.”"
    assert ("direct", "You are being ridiculous.", "Silverman", "joke") in rows(run(nlp, text))


def test_transcript_labels_name_their_speakers(nlp: Language) -> None:
    text = (
        "TAPPER: Do you think the candidate has campaigned as a healer?\n\n"
        "FALLIN: I think he is trying to campaign as a healer.\n\nBREAKING: The vote is delayed."
    )
    speakers = [r[2] for r in rows(run(nlp, text)) if r[3] == ":"]
    assert speakers == ["TAPPER", "FALLIN"]


def test_headline_names_its_speaker(nlp: Language) -> None:
    text = "Mayor Ana Silva: ‘We Will Rebuild the Bridge’\n\nPat Kerr: Voters Want Lower Taxes"
    assert rows(run(nlp, text)) == [
        ("direct", "We Will Rebuild the Bridge", "Mayor Ana Silva", ":"),
        ("indirect", "Voters Want Lower Taxes", "Pat Kerr", ":"),
    ]


def test_split_quote(nlp: Language) -> None:
    got = rows(run(nlp, "“We tried,” he said, “but it was not enough.”"))
    assert got == [
        ("direct", "We tried", "he", "say"),
        ("direct", "but it was not enough.", "he", "say"),
    ]


def test_continuation_paragraph(nlp: Language) -> None:
    text = "“We are ready,” Ana Diaz said.\n\n“The team has trained for months.”"
    atts = run(nlp, text)
    assert rows(atts)[-1] == ("direct", "The team has trained for months.", "Ana Diaz", None)
    assert atts[-1].speaker is not None and atts[-1].speaker.resolved_by == "continuation"


def test_continuation_after_a_connective(nlp: Language) -> None:
    text = "“It is not do or die,” he said outside. But “the party is stronger with him.”"
    atts = run(nlp, text)
    assert rows(atts)[-1] == ("direct", "the party is stronger with him.", "he", None)
    assert atts[-1].speaker is not None and atts[-1].speaker.resolved_by == "continuation"


def test_quote_over_paragraphs(nlp: Language) -> None:
    text = "The chief said: “We began in May.\n\n“We finished in June.”"
    atts = run(nlp, text)
    assert rows(atts) == [
        ("direct", "We began in May.\n\n“We finished in June.", "The chief", "say")
    ]


@pytest.mark.parametrize(
    "text, term",
    [
        ("The two countries signed a “no-limits” partnership last year.", "no-limits"),
        ("The president did not refer to “war” in his speech.", "war"),
        ("Critics of the so-called “reform” gathered outside the hall.", "reform"),
        ("Rock ’n’ roll and the ’90s were the leaders’ “glory days” here.", "glory days"),
    ],
)
def test_scare_quotes_are_not_attributed(nlp: Language, text: str, term: str) -> None:
    assert not [a for a in run(nlp, text) if term in a.text]


def test_speaker_kinds(nlp: Language) -> None:
    atts = run(nlp, "“We have deep concerns,” a senior U.S. official told reporters.")
    assert atts[0].speaker is not None and atts[0].speaker.kind == "anonymous"
    atts = run(nlp, "“We will respond,” Foreign Minister Ana Silva said.")
    assert atts[0].speaker is not None and atts[0].speaker.kind == "person"


def test_records_are_sorted_numbered_and_valid(nlp: Language) -> None:
    text = (
        "Officials said the plan would work. “It will,” the mayor said.\n\n"
        "“We are sure,” she added, according to the Daily Star."
    )
    atts = run(nlp, text)
    assert [a.quote_id for a in atts] == [f"q{i + 1}" for i in range(len(atts))]
    assert [a.start for a in atts] == sorted(a.start for a in atts)
    for a in atts:
        assert a.text == text[a.start : a.end]
        assert 0.0 <= a.confidence <= 1.0 and round(a.confidence, 3) == a.confidence
        Attribution.model_validate(a.model_dump(), context={"text": text})


def test_lexicon_is_broad() -> None:
    lex = cue_lexicon()
    assert len(lex) >= 250
    for lemma in ("say", "tell", "add", "note", "stress", "hail", "affirm", "characterize",
                  "describe", "warn", "insist", "acknowledge", "tweet", "according to"):
        assert lemma in lex


def body(name: str) -> str:
    """A seed article's text, as it stands in corpus/."""
    path = next(CORPUS.glob(f"{name}*.txt"), None)
    if path is None:
        pytest.skip(f"seed {name} is absent")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "seed, quote, speaker, resolved_by",
    [
        ("000", "objective and fair stance", "Xi", "mention"),
        ("000", "Beijing claims to be neutral, but", "the State Department spokesperson",
         "mention"),
        ("002", "We've communicated very clearly", "State Department spokesman Ned Price",
         "mention"),
        ("002", "We do have deep concerns", "a senior U.S. official", "mention"),
        ("003", "We do hope that the new US government", "Denisov", "continuation"),
        ("004", "China is willing to promote the steady", "Mr. Xi", "mention"),
    ],
)
def test_seed_speakers(
    nlp: Language, seed: str, quote: str, speaker: str, resolved_by: str
) -> None:
    atts = [a for a in run(nlp, body(seed)) if quote in a.text]
    assert atts, f"no attribution holds {quote!r}"
    got = atts[0].speaker
    assert got is not None and got.text == speaker and got.resolved_by == resolved_by


def test_seed_scare_quotes(nlp: Language) -> None:
    atts = run(nlp, body("000")) + run(nlp, body("004"))
    assert not [a for a in atts if a.text in ("no-limits", "war", "invasion")]


def test_title_naming_a_person_resolves_to_the_person(nlp: Language) -> None:
    atts = run(nlp, "Speaker of the House Rep. Paul Ryan said, “Those images have no place here.”")
    assert atts and atts[0].speaker is not None
    assert (atts[0].speaker.name, atts[0].speaker.kind) == ("Paul Ryan", "person")


def test_according_to_relays_a_speaker_of_its_sentence(nlp: Language) -> None:
    text = (
        "He said the president had “firmly supported the plan,” according to state broadcaster "
        "CCTV.\n\nThe plan won support, a Kremlin official said, according to Reuters."
    )
    got = rows(run(nlp, text))
    assert got == [
        ("partial", "the president had “firmly supported the plan,”", "He", "say"),
        ("indirect", "The plan won support", "a Kremlin official", "say"),
    ]


def test_expletive_it_is_no_speaker(nlp: Language) -> None:
    assert all(r[2] != "It" for r in rows(run(nlp, "It is said that the talks will resume.")))


def test_according_to_alone_names_the_speaker(nlp: Language) -> None:
    got = rows(run(nlp, "The budget will be cut, according to a senior official."))
    assert got == [("indirect", "The budget will be cut", "a senior official", "according to")]


# --------------------------------------------------------------------------------------
# Speaker accuracy: which mention of which person speaks


def speakers(atts: list[Attribution]) -> list[tuple[str, str | None, str | None]]:
    """(content, speaker mention, speaker name) of each attribution."""
    return [
        (a.text, a.speaker.text if a.speaker else None, a.speaker.name if a.speaker else None)
        for a in atts
    ]


@pytest.mark.parametrize(
    "text, content, mention, name",
    [
        # the mention nearest the cue is the relative pronoun; it is named after its noun
        ("The bill was backed by Senator Mark Warner, who said it would pass easily.",
         "it would pass easily", "who", "Mark Warner"),
        ("Voters cheered Governor Ana Ruiz, who said: “The schools will reopen in May.”",
         "The schools will reopen in May.", "who", "Ana Ruiz"),
        # the people on a place, not the place, say what a "who" clause says
        ("The plan worries nervous Democrats on Capitol Hill, who have argued that it hurts "
         "the party.",
         "it hurts the party", "who", "Democrats"),
    ],
)
def test_relative_pronoun_speaker(
    nlp: Language, text: str, content: str, mention: str, name: str
) -> None:
    got = [s for s in speakers(run(nlp, text)) if s[0] == content]
    assert got == [(content, mention, name)]


@pytest.mark.parametrize(
    "text, content, mention",
    [
        # "Asked whether ...": the one asked is the clause's subject; the asker is unstated
        ("Asked whether he would run again, Senator Mark Hill said he had not decided.",
         "whether he would run again", None),
        ("Asked whether he would run again, Senator Mark Hill said he had not decided.",
         "he had not decided", "Senator Mark Hill"),
        ("“We will see,” Ms. Lane said when asked whether she would campaign for the mayor.",
         "whether she would campaign for the mayor", None),
        # the colon introduces the answer, not the question
        ("Asked which county was her favorite, she demurred: “The one I am in right now.”",
         "The one I am in right now.", "she"),
    ],
)
def test_unstated_asker(nlp: Language, content: str, text: str, mention: str | None) -> None:
    assert mentions_of(nlp, text, content) == [mention]


@pytest.mark.parametrize(
    "text, content, mention",
    [
        # a cue misparsed as coordinated with the quotation's verb: the name before it
        ("“We were wrong to wait so long,” Ramos, 58, told AFP in an interview on Monday.",
         "We were wrong to wait so long", "Ramos"),
        # a verb and its particle before ", “" introduce the quotation ("shot back")
        ("After Governor Jim Brown criticized her husband during a debate, Hillary shot back, "
         "“I chose to fulfill my profession.”",
         "I chose to fulfill my profession.", "Hillary"),
        ("Mayor Jim Brown criticized the plan. Ms. Kay fired back, “The plan is sound and we "
         "will keep it.”",
         "The plan is sound and we will keep it.", "Ms. Kay"),
    ],
)
def test_speaker_beside_the_quotation(
    nlp: Language, text: str, content: str, mention: str
) -> None:
    assert mentions_of(nlp, text, content) == [mention]


@pytest.mark.parametrize(
    "text, content, mention",
    [
        # a cue coordinated with a verb of another form inside a reported clause goes with
        # the verb of its own form above that clause
        ("Mayor Ruiz says she would sit the governor down and tell him “no more delays” and "
         "tells the crowd she was the “first one” to ask for new schools.",
         "she was the “first one” to ask for new schools", "Mayor Ruiz"),
        ("Ms. Ortiz escalated her criticism on Tuesday, telling CNN that the mayor is a "
         "“fraud” and questioning how he has “avoided paying his taxes.”",
         "how he has “avoided paying his taxes.", "Ms. Ortiz"),
        # "emailed supporters saying": the sender, not the addressees, says it
        ("The Ohio senator emailed supporters saying: “The fight goes on and we will win it.”",
         "The fight goes on and we will win it.", "The Ohio senator"),
    ],
)
def test_speaker_of_the_right_verb(nlp: Language, text: str, content: str, mention: str) -> None:
    assert mentions_of(nlp, text, content) == [mention]


@pytest.mark.parametrize(
    "text, content, mention",
    [
        # a short clause closing the quotation's sentence after ",”" introduces it, whatever
        # its verb: not a continuation of the previous speaker
        ("The mayor said the city had lost its soul: “This is no longer our town,” he "
         "claimed.\n\n“This will always be our town,” an angry Ms. Vega retaliated.",
         "This will always be our town", "an angry Ms. Vega"),
        ("“We will not give up,” she smiled.", "We will not give up", "she"),
    ],
)
def test_trailing_clause_names_the_speaker(
    nlp: Language, text: str, content: str, mention: str
) -> None:
    assert mentions_of(nlp, text, content) == [mention]


def test_trailing_clause_after_an_exclamation_is_a_new_sentence(nlp: Language) -> None:
    text = "The crowd broke into chants of “Vote them out!”  But the mood soured quickly."
    assert not [s for s in speakers(run(nlp, text)) if s[1] == "the mood"]


# --- Quoted words we used to miss: naming, characterising, directives --------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        # "VERB X as (a) “...”": what X is called is the subject's word, whatever the verb;
        # the content is X and what it is called, not the setting after it
        ("The senator criticized the new tax law as a “giant mistake” during a town hall in "
         "Denver.",
         ("partial", "the new tax law as a “giant mistake”", "The senator", "criticize")),
        ("The mayor has cast herself as a “fighter for renters.”",
         ("partial", "herself as a “fighter for renters.”", "The mayor", "cast")),
        ("In recent days, Lopez has gone after his rival as a “career politician.”",
         ("partial", "his rival as a “career politician.”", "Lopez", "go")),
        ("The committee waved off the delay as having “little” effect.",
         ("partial", "the delay as having “little” effect", "The committee", "wave")),
        # "called X “...”": a name as the object is what is called, not a listener
        ("Her friends have mocked his campaign, calling Smith “a failed actor.”",
         ("partial", "Smith “a failed actor.”", "Her friends", "call")),
    ],
)
def test_naming_construction(nlp: Language, text: str, expected: Row) -> None:
    assert expected in rows(run(nlp, text))


def test_naming_needs_a_speaker(nlp: Language) -> None:
    # a passive names no speaker; "such as" names nothing
    assert not run(nlp, "The plan was welcomed as a “bold step” in the capital.")
    assert not [r for r in rows(run(nlp, "The mayor attended rallies such as “Run for Hope.”"))
                if r[3] == "attend"]


def test_fragments_of_one_naming_are_one_attribution(nlp: Language) -> None:
    got = rows(run(nlp, "Lopez has gone after his rival as a “career politician” and a "
                        "“tax raiser.”"))
    assert got == [("partial", "his rival as a “career politician” and a “tax raiser.”",
                    "Lopez", "go")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a noun of saying owned by a speaker, with the quotation in its complement
        ("The site checked the governor's claim that there were “thousands of layoffs” in the "
         "state last year.",
         ("partial", "there were “thousands of layoffs” in the state last year", "the governor's",
          "claim")),
        ("It was the senator's rejection of “a politics of fear” that won the crowd.",
         ("partial", "“a politics of fear”", "the senator's", "rejection")),
        ("Contrary to his warning that voters would “learn nothing,” the hearings were useful.",
         ("partial", "voters would “learn nothing", "his", "warning")),
    ],
)
def test_noun_of_saying_owned_by_a_speaker(nlp: Language, text: str, expected: Row) -> None:
    assert expected in rows(run(nlp, text))


def test_noun_of_saying_needs_an_owner(nlp: Language) -> None:
    assert not run(nlp, "The claim that there were “thousands of layoffs” was checked.")
    assert "statement" not in {a.cue.lemma for a in run(
        nlp, "Her statement was short. “We will appeal,” she said.") if a.cue}


def test_a_ruling_reports_what_is_ruled(nlp: Language) -> None:
    got = rows(run(nlp, "The fact-checkers ruled that the mayor's figure was “mostly true.”"))
    assert got == [("partial", "the mayor's figure was “mostly true.", "The fact-checkers",
                    "rule")]
    assert not run(nlp, "When ordinary ‘boots’ are ruled out, drones fill the gap.")


@pytest.mark.parametrize(
    "text, expected",
    [
        # a directive verb: its infinitive is what was said, its object who was told
        ("The candidate encouraged supporters to “check out” the new website before the vote.",
         ("partial", "to “check out” the new website before the vote", "The candidate",
          "encourage")),
        ("The pastor exhorted the crowd to “stand up for the neighborhood.”",
         ("partial", "to “stand up for the neighborhood.", "The pastor", "exhort")),
    ],
)
def test_directive_infinitive(nlp: Language, text: str, expected: Row) -> None:
    assert expected in rows(run(nlp, text))


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a Title Case name given by a naming verb is the namer's word, not a title
        ("The senator called his rival “Little Eddie” at the rally.",
         "his rival “Little Eddie”", "The senator"),
        # (inside what "Reports said", the naming is the reports' quotation of the mayor)
        ("Reports said the mayor called the singer “Miss Noisy” and “Lady Loud” in private.",
         "the mayor called the singer “Miss Noisy” and “Lady Loud” in private", "Reports"),
        # a quotation hung on the "as" of a naming, however the parse attaches it
        ("FactWatch rated 32% of the claims as “false” or “pants on fire,” compared to 11% of "
         "the others.",
         "32% of the claims as “false” or “pants on fire,”", "FactWatch"),
    ],
)
def test_names_given(nlp: Language, text: str, content: str, speaker: str) -> None:
    assert [(r[1], r[2]) for r in rows(run(nlp, text)) if r[0] == "partial"] == [
        (content, speaker)
    ]


def test_a_published_title_is_no_name_given(nlp: Language) -> None:
    text = "Richard Moss just published the book “Strangers In Town,” a study of migrants."
    assert not run(nlp, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # a phrasal cue of the lexicon, its particle parsed as a particle or an adverb
        ("“You are all wrong,” the mayor shot back.",
         ("direct", "You are all wrong", "the mayor", "shoot back")),
        ("“That is a lie,” Smith fired back at the debate.",
         ("direct", "That is a lie", "Smith", "fire back")),
    ],
)
def test_phrasal_cue(nlp: Language, text: str, expected: Row) -> None:
    assert expected in rows(run(nlp, text))


def test_noun_of_saying_made_by_its_subject(nlp: Language) -> None:
    got = rows(run(nlp, "The minister issued a warning that prices would “go through the roof” "
                        "next year."))
    assert got == [("partial", "prices would “go through the roof” next year", "The minister",
                    "warning")]


# --- False quoted attributions: quotations that are not anybody's words -------------------


@pytest.mark.parametrize(
    "text, title",
    [
        # a role noun right after the marks: the name of a show
        ("“Harbor Lights” star Nina Vale opened up about her childhood.", "Harbor Lights"),
        ("“Late Night Talk” host Sam Reyes mocked the senator on Monday.", "Late Night Talk"),
        # a noun of a work right before the marks
        ("The pastor blasted the animated film “Snowfall” for its message.", "Snowfall"),
        ("He explained it all in his 2009 book, ''Grow Your Own Fortune.''",
         "Grow Your Own Fortune."),
        ("The choir sang the civil rights anthem “Rise Together” at the rally.", "Rise Together"),
        # a phrase of naming
        ("The hacker known as “Nightjar” said he had read the emails.", "Nightjar"),
    ],
)
def test_name_of_a_work_is_no_quote(nlp: Language, text: str, title: str) -> None:
    assert all(a.text != title for a in run(nlp, text))


def test_work_noun_needs_a_name(nlp: Language) -> None:
    # a lower-case clause after "show" is what the show said of itself, not its name
    got = rows(run(nlp, "The host called the show “the best program of the season,” he said."))
    assert any("best program" in r[1] for r in got)


@pytest.mark.parametrize(
    "text, kept",
    [
        # an inner cue before the fragment, inside the outer report: one attribution
        ("The senator said voters are “tired of excuses” but hungry for what she calls "
         "“real answers.”", "voters are “tired of excuses”"),
        ("Obama said “there is hope” in the city after the attack, which he called “a cowardly "
         "act.”", "there is hope"),
        ("The spokesman responded on Twitter, calling the charge “absurd” and “reckless.”",
         "calling the charge"),
    ],
)
def test_fragment_inside_a_partial_quote_is_no_attribution_of_its_own(
    nlp: Language, text: str, kept: str
) -> None:
    got = run(nlp, text)
    assert len(got) == 1 and kept in got[0].text and got[0].kind == "partial"


def test_quote_with_its_own_cue_after_it_stays_apart(nlp: Language) -> None:
    # the cue after the quotation ("she said") gives it a speaker of its own
    text = "“You coming?” she said, and as the mayor went on about “our proud city,” Ann said yes."
    assert any(a.text == "You coming?" and a.kind == "direct" for a in run(nlp, text))


@pytest.mark.parametrize(
    "text, title",
    [
        # a name after a preposition, however it is capitalised
        ("Speaking to “NBC Early Today” on Monday, the senator praised his rivals.",
         "NBC Early Today"),
        ("According to ''The Owners: Three Generations That Built a Company,'' by Ann Roe, Tom "
         "told his roommate that the plan was wrong.", "The Owners"),
    ],
)
def test_name_after_a_preposition_is_no_quote(nlp: Language, text: str, title: str) -> None:
    assert all(title not in a.text for a in run(nlp, text))


@pytest.mark.parametrize(
    "text, term",
    [
        # a digest's headline credited to its author
        ("Follow him for updates.\n\nFAREWELL—\"The Corner Room to close at the end of "
         "December,\" by Times' Ann Roe: \"The Corner Room, a small club, will close.\"",
         "The Corner Room to close at the end of December"),
        # the next item of a list of titles
        ("Hale, who has starred in “Rivers and Roads” and “Return of the Tide,” posted the "
         "clip on Thursday.", "Return of the Tide"),
        # a quotation joined by a hyphen to the word after it: a modifier
        ("A quick look through “gaffe”-worthy speeches of the past year shows a pattern.",
         "gaffe"),
    ],
)
def test_headline_list_item_and_modifier_are_no_quotes(
    nlp: Language, text: str, term: str
) -> None:
    assert all(a.text != term for a in run(nlp, text))


def test_passive_by_agent_is_no_headline_credit(nlp: Language) -> None:
    got = run(nlp, "The paper said the mayor had been ''rocked'' by the vote, and aides agreed.")
    assert any("rocked" in a.text for a in got)


def test_title_parsed_as_what_was_said_is_no_attribution(nlp: Language) -> None:
    # the parse takes the book's title for what was suggested
    text = (
        "And where is the money supposed to come from? In her 2010 book, ''Grow Your Kid a "
        "Fortune,'' Ms. Hale suggested looking at the things families buy every week."
    )
    assert all("Grow Your Kid" not in a.text for a in run(nlp, text))


def test_title_with_a_contraction_is_a_title(nlp: Language) -> None:
    # "Gonna" is two tokens, "Gon" and "na": the second starts no word
    text = (
        "At the end of her rendition of the civil rights anthem ''A Change Is Gonna Come,'' "
        "she added the words, ''Vote on Tuesday.''"
    )
    got = rows(run(nlp, text))
    assert [r[1] for r in got] == ["the words, ''Vote on Tuesday."]


@pytest.mark.parametrize(
    "text, content",
    [
        ("Lee said the aim was not to “win the vote” but to “win the argument.”",
         "the aim was not to “win the vote” but to “win the argument.”"),
        ("The mayor said he had asked his “team” to “look into” the costs.",
         "he had asked his “team” to “look into” the costs"),
    ],
)
def test_fragments_of_one_clause_are_one_attribution(
    nlp: Language, text: str, content: str
) -> None:
    got = run(nlp, text)
    assert len(got) == 1 and got[0].kind == "partial"
    assert got[0].text.strip("”") in content and content.count("“") == got[0].text.count("“")


@pytest.mark.parametrize(
    "text",
    [
        # another verb of saying between the fragments
        "Ms. Kay told investors that the fears were ''overblown,'' adding that the firm had "
        "''real upside.''",
        # items of a list
        "The aides said they would stress his 2001 admission that he was “very much for it,” "
        "and his confusing defense of “open markets” for farms.",
    ],
)
def test_fragments_past_a_verb_or_of_a_list_stay_apart(nlp: Language, text: str) -> None:
    assert len([a for a in run(nlp, text) if a.kind != "indirect"]) == 2




# --- Quotes found with no speaker, or a non-speaking noun as speaker -------------------------


def test_said_in_a_statement_that_reports_the_clause(nlp: Language) -> None:
    # the parse hangs the reported clause on "statement": the quotation is still said
    text = (
        "Ana Ruiz, a spokeswoman for the group, said in a statement that the team would work "
        "with police “to keep every visitor safe and sound.”"
    )
    got = [r for r in rows(run(nlp, text)) if "visitor" in r[1]]
    assert got and got[0][2] == "Ana Ruiz" and got[0][3] == "say"


def test_cueless_quote_in_the_same_paragraph_continues_the_speaker(nlp: Language) -> None:
    text = (
        "“It is a big moment,” said Tom Reyes, a senior strategist. Unless more rivals leave "
        "the race soon, “it is very hard to see how he is stopped now.”"
    )
    atts = [a for a in run(nlp, text) if "hard to see" in a.text]
    assert atts and atts[0].speaker is not None
    assert (atts[0].speaker.text, atts[0].speaker.resolved_by) == ("Tom Reyes", "continuation")


def test_according_to_sources_the_clause_that_holds_the_quote(nlp: Language) -> None:
    text = (
        "Over the long term, according to the budget office, the rise in debt “is mainly due "
        "to the aging of the population.”"
    )
    got = rows(run(nlp, text))
    assert got == [
        ("partial", "the rise in debt “is mainly due to the aging of the population.”",
         "the budget office", "according to"),
    ]


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a finding inside a cue's clause is the cue's speaker's report
        ("She is a pragmatic leader, cautioning that the turmoil after the vote underscores a "
         "need for “calm, steady, experienced leadership.”", "experienced leadership", "She"),
        # the one a verb of causing leads to speak is the speaker
        ("Ms. Diaz won a strong victory that led her to declare that the nomination was "
         "“within reach.”", "within reach", "her"),
        # an occasion in a relative clause speaks for the sentence's subject
        ("In an address that spoke to the “fear and anger” over the economy, Mrs. Diaz struck "
         "many of the same notes.", "fear and anger", "Mrs. Diaz"),
        # a participle misparsed onto an event's verb: the people in the clause before shout
        ("The first incident came during a rally, when protesters interrupted the event, "
         "shouting “she wins, we lose!”", "she wins", "protesters"),
    ],
)
def test_no_event_or_finding_speaks(nlp: Language, text: str, content: str, speaker: str) -> None:
    assert row_holding(nlp, text, content)[2] == speaker



@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # the subject lost in a long apposition after the quotation
        ("“Very good reporter, very good reporter this guy,” Trump, the GOP front-runner "
         "nationally and current polling leader in Ohio after winning the primaries, said "
         "when Boyle asked him a question.", "Very good reporter", "Trump"),
        # the sentence opens with the name, then a relative clause
        ("Sanders, meanwhile, who sits at zero such endorsements, said that fact speaks volumes "
         "about which of the two candidates is “prepared to take on the establishment.”",
         "prepared to take on", "Sanders"),
        # "added" coordinated with the quotation's verb shares the subject of "she said"
        ("''I hate the term 'Manhattan poor,' '' she said, but added that after taxes, as a "
         "couple with one income and three private-school tuitions, ''They weren't living "
         "large.''", "living large", "she"),
        # "Of X, Name, who ..., said" with "Of" parsed as the subject
        ("Of Carson, Levine, who has given money to Marco Rubio, said, “He is flat-out scary, "
         "and he is totally vapid.”", "flat-out scary", "Levine"),
        # "“...,” wrote a man": the inverted subject parsed as the object
        ("''Whoever opens the borders and supports uncontrolled immigration has no place "
         "here!'' wrote a man calling himself Paul Paul.", "Whoever opens", "a man"),
    ],
)
def test_subject_lost_in_the_parse(nlp: Language, text: str, content: str, speaker: str) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("As Professor Foner put it: “The United States does a better job at accepting "
         "immigrants.”", "The United States", "Professor Foner", "put it"),
        ("As Ms. Simonyan put it in a statement to a colleague in July, RT is “providing a "
         "perspective you won't get from the mainstream press.”", "providing a perspective",
         "Ms. Simonyan", "put it"),
        ("“You know, it happens all the time,” Trump went on, as if he didn't hear her.",
         "it happens all the time", "Trump", "go on"),
        # "went on to say": the cue is "say"
        ("He went on to say that “the plan is a disaster for every family.”",
         "the plan is a disaster", "He", "say"),
    ],
)
def test_phrasal_cues(nlp: Language, text: str, content: str, speaker: str, cue: str) -> None:
    assert row_holding(nlp, text, content)[2:] == (speaker, cue)


def test_talks_going_on_say_nothing(nlp: Language) -> None:
    text = "Talks between the two companies have been going on for months, “without any result.”"
    assert all(r[3] != "go on" for r in rows(run(nlp, text)))


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a name tagged as a modal
        ("“This might hasten the eclipse of Carly Fiorina, Ben Carson and especially Donald "
         "Trump,” Will wrote.", "hasten the eclipse", "Will"),
        # "added Gowdy" with a line break before the cue, the name parsed as the object
        ("“If anyone wonders why the investigation is not yet complete, the problems in this "
         "report are Exhibit A,”\nadded Gowdy.", "Exhibit A", "Gowdy"),
        # an anonymous speaker, then a relative clause, before the cue
        ("“The agents involved are under a lot of pressure,” an intelligence source, who was "
         "not authorized to speak on the record, told Fox News.", "The agents",
         "an intelligence source"),
        # the name after "But", with its party and state, then a participle clause
        ("But Sen. Richard J. Durbin (D-Ill.), noting the size of Sanders's following, said, "
         "“Let me tell you, he's got a heck of an email list.”", "email list",
         "Sen. Richard J. Durbin"),
        # the name after an inverted cue, described by a participle
        ("“I'm not going to say it is a mistake, so forget about it,” said retired "
         "neurosurgeon Ben Carson, asked about his claims that he had received a scholarship "
         "offer from West Point.", "forget about it", "retired neurosurgeon Ben Carson"),
    ],
)
def test_speaker_found_beside_a_misparsed_cue(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        # a noun beside a quotation mark is no cue ("with a smile:")
        ("Kelly responded pointedly, with a smile: “Can happen when you are 45.”",
         "Can happen", "Kelly", "respond"),
        # "fired back" with the particle read as an adverb
        ("Rubio fired back: “If they sue us in a court in Miami, they are going to lose.”",
         "they are going to lose", "Rubio", "fire back"),
        # a name tagged as a modal
        ("Citing the attack as a wake-up call and their “reveries about treating the "
         "presidency as an entry-level job,” Will urged the electorate to abandon all "
         "outsiders.", "reveries", "Will", "cite"),
        # the sentence split after a question mark; "Name cue" right after it
        ("“You know, it happens, right?” Trump went on, as if he didn't hear her.",
         "it happens, right?", "Trump", "go on"),
    ],
)
def test_cue_beside_the_quotation(
    nlp: Language, text: str, content: str, speaker: str, cue: str
) -> None:
    assert row_holding(nlp, text, content)[2:] == (speaker, cue)


def test_a_quoted_modifier_makes_no_noun_a_cue(nlp: Language) -> None:
    text = "He invited Russia to dig up thousands of “missing” emails from her time in office."
    assert all(r[3] != "email" for r in rows(run(nlp, text)))


def test_possessed_noun_of_saying_names_its_speaker(nlp: Language) -> None:
    text = (
        "Albright, a Clinton supporter, fanned controversy earlier this year over her remark "
        "that “there is a special place in hell for women who don't help each other.”"
    )
    got = [r for r in rows(run(nlp, text)) if "special place" in r[1]]
    assert got and got[0][0] == "partial" and got[0][2:] == ("her", "remark")


def test_one_shown_speaking_is_the_speaker(nlp: Language) -> None:
    text = (
        "Before the clip, the cleric, who was killed in a drone strike, is shown lecturing: "
        "“Muslims of the West, take heed and learn from the lessons of history.”"
    )
    got = [r for r in rows(run(nlp, text)) if "take heed" in r[1]]
    assert got and got[0][2] == "the cleric"


# --- Quoted content, second round: quotations that open on an ellipsis, reported clauses
# that stop before the closing mark of their quotation.


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("As the Gazette reported, “ … if the vote were held tonight, Smith would win, and "
         "handily.”", "if the vote were held tonight", "the Gazette"),
        # a closing mark used as the opener, then the ellipsis
        ("The editor was blunt: ” … he gave a speech of charm and steel that few rivals could "
         "match,” wrote Tom Reyes.", "he gave a speech of charm", "Tom Reyes"),
    ],
)
def test_a_quotation_may_open_on_a_spaced_ellipsis(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    row = row_holding(nlp, text, content)
    assert row[0] == "direct" and row[2] == speaker


def test_an_opening_mark_before_a_space_alone_opens_nothing(nlp: Language) -> None:
    from pipeline.quotemarks import find_quotes

    text = "He said “ this is odd, and then left."
    assert find_quotes(text, [(0, len(text))]) == []


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("Voters are still angry about the governor’s “lazy farmers” comment.",
         "lazy farmers", "the governor’s", "comment"),
        ("The senator’s “47 percent” remark haunted his campaign.",
         "47 percent", "The senator’s", "remark"),
    ],
)
def test_a_possessed_noun_of_saying_with_a_quoted_modifier(
    nlp: Language, text: str, content: str, speaker: str, cue: str
) -> None:
    assert (("partial", content, speaker, cue)) in rows(run(nlp, text))


def test_a_quoted_modifier_of_a_written_thing_is_not_its_owners_words(nlp: Language) -> None:
    text = "Her lawyer sorted the mayor’s “work-related” emails from her private messages."
    assert not [r for r in rows(run(nlp, text)) if r[1] == "work-related"]


@pytest.mark.parametrize(
    "text",
    [
        "“We will fight on,” said Tom Reyes, who supports the mayor. “Nobody can stop us now.”",
        "“It is going to be a long night,” said Dana Cole, a pollster who backed the governor "
        "in the primary. “Nobody can stop us now.”",
    ],
)
def test_a_report_in_a_speakers_description_is_an_aside(nlp: Language, text: str) -> None:
    # the cue-less quotation continues the quotation before, not the relative clause
    got = [r for r in rows(run(nlp, text)) if r[1].startswith("Nobody")]
    assert got and got[0][2] in ("Tom Reyes", "Dana Cole")


def test_a_relative_clause_of_saying_is_its_speakers_turn(nlp: Language) -> None:
    text = (
        "The plan drew fire from Ana Ruiz, who said the mayor must do more for renters. "
        "“Rents are out of control.”"
    )
    got = [r for r in rows(run(nlp, text)) if r[1].startswith("Rents")]
    assert got and got[0][2] == "who"



# --- A quotation in what an outer speaker reports is the reporter's ---------------------


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a directive cue inside the reported clause of "said"
        ("The mayor said the governor called on members to be “closely coordinated.”",
         "closely coordinated", "The mayor"),
        # a verb of telling inside the reported clause
        ("The author said the senator had told donors that he would not allow ''daylight'' "
         "between the two parties.", "daylight", "The author"),
        # the reporter set off by commas inside the naming sentence
        ("The newspaper, the mayor said, called the budget plan “a recipe for disaster.”",
         "recipe for disaster", "the mayor"),
    ],
)
def test_quotation_in_a_reported_clause_is_the_reporters(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


def test_naming_outside_a_report_keeps_its_namer(nlp: Language) -> None:
    text = "The governor once described the treaty as “a historic blunder.”"
    got = [r for r in rows(run(nlp, text)) if "historic blunder" in r[1]]
    assert got and got[0][2] == "The governor"


def test_second_clause_of_a_report_keeps_its_own_speaker(nlp: Language) -> None:
    # a coordinated clause misparsed as a second complement of the first cue
    text = (
        "But after Britain launched its raid on the port in April, Spain has publicly stressed "
        "that it is not in any way a party to the dispute and in August, after the British "
        "navy had faced several setbacks in the bay, Sanchez publicly acknowledged that Costa "
        "had “doubts and fears” about the raid."
    )
    got = [r for r in rows(run(nlp, text)) if "doubts and fears" in r[1]]
    assert got and got[0][2:] == ("Sanchez", "acknowledge")


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a record named by a common noun vouches for what it reports
        ("According to a Navy readout, the admiral met his Japanese counterpart \"to discuss "
         "the drills.\"", "to discuss the drills", "a Navy readout"),
        ("According to letters kept by a family friend, the actress had referred to her rival "
         "as ''a cheap imitation.''", "a cheap imitation", "letters"),
        # an outlet only relays: the one it quotes keeps the words
        ("According to the Daily Herald, the actress had referred to her rival as ''a cheap "
         "imitation.''", "a cheap imitation", "the actress"),
    ],
)
def test_according_to_a_record_is_the_speaker(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker



# --- Speakers left empty: adjuncts, copular nouns of saying, ... (round 2) ---


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # the clause the adjunct hangs on is itself partly quoted
        ("After saying her knee was “too stiff to bend,” she was “rushed … off to the "
         "clinic” for an X-ray.", "too stiff to bend", "she"),
        # "despite admitting" with a partly quoted main clause
        ("The mayor, despite admitting that she had “serious doubts” about the plan, "
         "“will not stand in its way.”", "serious doubts", "The mayor"),
    ],
)
def test_adjunct_cue_speaks_with_the_clause_it_hangs_on(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        ("The governor’s answer was that “the best school is a good home,” so the state "
         "should help parents.", "the best school", "The governor’s", "answer"),
        ("Her slogan in that race was that the senator “would promise anything to anyone.”",
         "would promise anything", "Her", "slogan"),
    ],
)
def test_possessed_noun_of_saying_as_subject_of_be(
    nlp: Language, text: str, content: str, speaker: str, cue: str
) -> None:
    assert row_holding(nlp, text, content)[2:] == (speaker, cue)


def test_a_quoted_predicate_of_a_noun_of_saying_is_no_content_of_it(nlp: Language) -> None:
    text = "His claims were “sarcasm,” the aide later wrote."
    assert all(r[3] != "claim" for r in rows(run(nlp, text)))


def test_name_described_by_coordinated_titles_speaks(nlp: Language) -> None:
    text = (
        "At Cedar Ridge, where it costs new members $70,000 to sign up, Tom Walsh, the club's "
        "61-year-old president and general manager, suggested that the troubles of some of "
        "his rivals could be blamed on poor management and on their focus on ''the business "
        "of selling houses.'' But he has a plan, he said."
    )
    got = [r for r in rows(run(nlp, text)) if "selling houses" in r[1]]
    assert got and got[0][2] == "Tom Walsh"


def test_as_x_put_it_with_x_parsed_as_the_object_of_as(nlp: Language) -> None:
    # The parse the tagger gives a long description with a quoted title in it: "As" a mark
    # of "put" with the name as its object, "put" hung on the quotation's verb.
    from spacy.tokens import Doc

    from pipeline.stages.attribute import _Hit, _speaker_head

    words = ["As", "Ravi", "Bose", ",", "author", "of", "''", "Rules", ",", "''", "put", "it",
             ",", "''", "Voters", "decide", ".", "''"]
    heads = [10, 2, 0, 2, 2, 4, 7, 5, 2, 2, 15, 10, 15, 15, 15, 15, 15, 15]
    deps = ["mark", "compound", "pobj", "punct", "appos", "prep", "punct", "pobj", "punct",
            "punct", "advcl", "dobj", "punct", "punct", "nsubj", "ROOT", "punct", "punct"]
    pos = ["SCONJ", "PROPN", "PROPN", "PUNCT", "NOUN", "ADP", "PUNCT", "PROPN", "PUNCT",
           "PUNCT", "VERB", "PRON", "PUNCT", "PUNCT", "NOUN", "VERB", "PUNCT", "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)
    inside = [-1] * 13 + [0] * 5
    inside[6:10] = [1] * 4
    head = _speaker_head(_Hit(doc[10], 10, 11, "put it", "phrase"), inside)
    assert head is not None and head.text == "Bose"


@pytest.mark.parametrize(
    "text, content, speaker, cue",
    [
        # "states" tagged as a plural noun
        ("“They know she is the only one strong enough to stop them,” the ad states.",
         "strong enough", "ad", "state"),
        # "asked" tagged as a participle on "the 51-year-old"
        ("Lee posted the clip online on Monday. “What if the mayor had singing lessons?” the "
         "51-year-old asked in the clip’s caption.", "singing lessons", "the 51-year-old",
         "ask"),
    ],
)
def test_trailing_cue_misread_as_a_noun_or_participle(
    nlp: Language, text: str, content: str, speaker: str, cue: str
) -> None:
    assert row_holding(nlp, text, content)[2:] == (speaker, cue)


def test_a_trailing_proper_name_in_s_is_no_cue(nlp: Language) -> None:
    text = "“We will win,” the United States."
    assert all(r[3] is None for r in rows(run(nlp, text)))


def test_headline_name_mistagged_but_a_name_elsewhere_speaks(nlp: Language) -> None:
    text = (
        "Willibrand on Hillary Releasing Her Speech Transcripts: ‘I Think She Will.’\n\n"
        "On Friday, Sen. Mary Willibrand (D-NY) said Clinton would release the records soon."
    )
    got = [r for r in rows(run(nlp, text)) if "She Will" in r[1]]
    assert got and got[0][2] == "Willibrand"


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("The list of critics is long, including the former governor Alan Pierce -- ''No "
         "nominee should be allowed to hide his finances from the voters'' -- and a former "
         "budget director.", "hide his finances", "Alan Pierce"),
        ("When Ortiz finally wrapped up — “We will never stop fighting for you!” — the "
         "confetti rained down on the hall.", "never stop fighting", "Ortiz"),
    ],
)
def test_quotation_set_off_by_dashes_after_its_speaker(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


def test_quotation_between_dashes_after_a_thing_has_no_dash_speaker(nlp: Language) -> None:
    text = "The sign on the door -- “Closed for good” -- surprised the regulars."
    assert all(r[2] is None for r in rows(run(nlp, text)) if "Closed for good" in r[1])


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("It is the lasting pull of the governor's \"nobody will lose a dime\" promise: many "
         "of them signed up early.", "nobody will lose a dime", "the governor's"),
    ],
)
def test_quotation_between_a_possessor_and_a_noun_of_saying(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


def test_quoted_modifier_of_a_possessed_noun_of_writing_is_not_the_owners(
    nlp: Language,
) -> None:
    text = "She used the laptop to sort the senator's “work-related” emails from the rest."
    assert all(r[2] is None for r in rows(run(nlp, text)) if "work-related" in r[1])


# --- A quotation inside the phrase naming the speaker ----------------------------------------


@pytest.mark.parametrize(
    "text, term",
    [
        ("Ramirez, the self-styled “candidate of the people,” thanked the mayor for the park.",
         "candidate of the people"),
        ("Dozens of the so-called “reformers” told reporters the vote was rigged.",
         "reformers"),
    ],
)
def test_quotation_in_the_speakers_own_phrase_is_not_said(
    nlp: Language, text: str, term: str
) -> None:
    assert not [r for r in rows(run(nlp, text)) if r[1].strip("“”\"") == term]


def test_quotation_in_a_relative_clause_of_the_speaker_is_still_attributed(
    nlp: Language,
) -> None:
    text = ("Ortiz, who once called the plan “a reckless gamble that will bankrupt the city,” "
            "said on Monday that he would vote against it.")
    assert [r for r in rows(run(nlp, text)) if "reckless gamble" in r[1]]


# --- A reported clause runs to its quotation's closing mark (rec3) ---


@pytest.mark.parametrize(
    "text, end",
    [
        # '.”' hangs on the main verb, so the object clause stopped inside the quotation
        ("The mayor noted the flood, her support for the firefighters and her work to bring "
         "jobs from “Springfield to Shelbyville.”", "Shelbyville.”"),
    ],
)
def test_a_reported_clause_runs_to_the_closing_mark_of_its_quotation(
    nlp: Language, text: str, end: str
) -> None:
    got = [r for r in rows(run(nlp, text)) if end[:5] in r[1]]
    assert got and got[0][0] == "partial" and got[0][1].endswith(end)


def test_a_reported_clause_does_not_run_across_a_dash_into_a_quotation(nlp: Language) -> None:
    text = (
        "Yet, as Ms. Grant observed, in the first months of a new government -- when she "
        "would not be worried about the next vote -- ''which taxes would you cut?''"
    )
    assert not any(r[1].endswith("cut?''") and "vote" in r[1] for r in rows(run(nlp, text)))


def test_colon_introduction_when_the_root_sits_inside_the_quotation(nlp: Language) -> None:
    # the parse makes the quotation's verb the sentence root and "went" its clausal child
    text = (
        "“We will hold this seat,” Mr. Hale said on Monday. In a radio interview later that "
        "day, Mr. Hale went even further: “If she loses here, it’s the end of her campaign.”"
    )
    got = [r for r in rows(run(nlp, text)) if "If she loses" in r[1]]
    assert got and got[0][2] == "Mr. Hale" and got[0][3] == "go"


# --- A reported clause stops before a coordinated adverbial opening the writer's next clause ---


@pytest.mark.parametrize(
    "text, content",
    [
        # "and in May" is parsed onto "to the dispute", but opens the next clause
        ("After the talks collapsed in March, Norway has repeatedly insisted that it is not "
         "in any way a party to the dispute and in May, after the fleet had suffered heavy "
         "losses at sea, the admiral quietly admitted that the minister had doubts about it.",
         "it is not in any way a party to the dispute"),
    ],
)
def test_a_reported_clause_stops_before_the_writers_next_clause(
    nlp: Language, text: str, content: str
) -> None:
    got = [r for r in rows(run(nlp, text)) if r[1].startswith(content[:20])]
    assert got and got[0][1] == content


@pytest.mark.parametrize(
    "text, end",
    [
        ("The minister said that the fleet would sail to Bergen and to Oslo, but the crews "
         "were told to stay home.", "to Oslo"),
        ("The minister said that the fleet would sail in April and in May, but the crews "
         "were told to stay home.", "in May"),
    ],
)
def test_a_coordinated_phrase_that_belongs_to_the_reported_clause_stays(
    nlp: Language, text: str, end: str
) -> None:
    got = [r for r in rows(run(nlp, text)) if r[1].startswith("the fleet")]
    assert got and got[0][1].endswith(end)


# --- Evidence verbs inside a report; "when it comes to" (seedB) ---


def test_a_thing_that_indicates_inside_a_report_is_the_reporters_inference(
    nlp: Language,
) -> None:
    # the weekend meeting says nothing: the governor says what it indicates
    text = ("The governor says the weekend meeting with union leaders indicates their dispute "
            "will soon be settled.")
    got = rows(run(nlp, text))
    assert not [r for r in got if r[3] == "indicate"]
    assert [r for r in got if r[2] == "The governor" and r[3] == "say"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a person who indicates something inside a report still reports it
        ("The mayor says her deputy indicated the budget would pass.",
         ("indirect", "the budget would pass", "her deputy", "indicate")),
        # outside a report, what a survey suggests stays attributed to it
        ("The new survey suggests most voters want lower taxes.",
         ("indirect", "most voters want lower taxes", "The new survey", "suggest")),
    ],
)
def test_evidence_verbs_outside_the_inference_rule(
    nlp: Language, text: str, expected: Row
) -> None:
    assert expected in rows(run(nlp, text))


@pytest.mark.parametrize(
    "text",
    [
        "Ms. Lane, however, made plain the bond between the two towns when it came to "
        "opposing what both regard as an unfair tax.",
        "When it comes to opposing what the two leaders view as unfair tariffs, the partners "
        "stand together.",
        "It is worth noting that the senator has never voted against the bill.",
    ],
)
def test_it_of_when_it_comes_to_is_no_speaker(nlp: Language, text: str) -> None:
    # "when it comes to", "it is worth noting": the "it" stands for nobody
    assert not [r for r in rows(run(nlp, text)) if r[2] in ("it", "It")]


# --- A quotation that a relative clause names: "the “...” which X described as" (seedD) ---


@pytest.mark.parametrize(
    "text, named, namer",
    [
        # "which" is the object of the naming verb: the quotation is the thing described
        ("The talks also covered trade and “the sale of the old harbour to a foreign shipping "
         "group” which the mayor described as a mistake that “hurts every family in the "
         "town.”", "the sale of the old harbour to a foreign shipping group",
         ("partial", "“hurts every family in the town.", "the mayor", "describe")),
        ("The council then turned to “the closure of the last rural bus line in the county,” "
         "which the governor called a betrayal of the villages.",
         "the closure of the last rural bus line in the county",
         ("indirect", "a betrayal of the villages", "the governor", "call")),
        # dubbed, referred to as
        ("Next on the list was “the building of a second runway next to the nature reserve,” "
         "which campaigners have dubbed a disaster for the birds.",
         "the building of a second runway next to the nature reserve", None),
        ("Next on the list was “the merger of the two regional hospitals into one large "
         "site,” which the minister referred to as a necessary step.",
         "the merger of the two regional hospitals into one large site", None),
        # the passive: what the mayor describes is still not the mayor's words
        ("The talks also covered “the sale of the old harbour to a foreign shipping group,” "
         "which was described by the mayor as a mistake.",
         "the sale of the old harbour to a foreign shipping group", None),
    ],
)
def test_a_quotation_named_by_a_relative_clause_has_no_speaker(
    nlp: Language, text: str, named: str, namer: Row | None
) -> None:
    got = rows(run(nlp, text))
    # the quoted thing stays a quotation, its source unstated
    assert ("direct", named, None, None) in got
    if namer is not None:
        # what the namer calls it is the namer's
        assert namer in got


@pytest.mark.parametrize(
    "text, expected",
    [
        # "which the mayor said", "which the mayor repeated": the relative pronoun stands
        # for the mayor's own words
        ("The line of the night was “we will win this fight in the courts and at the ballot "
         "box,” which the mayor said twice.",
         ("partial", "we will win this fight in the courts and at the ballot box", "the mayor",
          "say")),
        ("Then came the promise “every family in this town will have a doctor by next "
         "spring,” which the mayor repeated on Monday.",
         ("partial", "every family in this town will have a doctor by next spring", "the mayor",
          "repeat")),
    ],
)
def test_a_quotation_a_relative_clause_says_keeps_its_speaker(
    nlp: Language, text: str, expected: Row
) -> None:
    assert expected in rows(run(nlp, text))


# --- A subject the parse hung in the clause before its cue (seedE) ---


@pytest.mark.parametrize(
    "text, expected",
    [
        # "union leaders" parsed as the object of "on" and "say" as a coordinate of "sent"
        ("The council has so far sent mixed messages on the mayor's budget and union leaders "
         "say the deal is still far from certain.",
         ("indirect", "the deal is still far from certain", "union leaders", "say")),
        # "city officials" parsed inside the writer's clause, "say" a coordinate of "said"
        ("The Tribune, citing unnamed city officials, said there was no sign whether the union "
         "had replied, but the union has so far sent mixed messages on the mayor's harsh "
         "budget and city officials say the outcome is still far from certain.",
         ("indirect", "the outcome is still far from certain", "city officials", "say")),
        ("The regulator has so far sent mixed signals on the bank's risky expansion and senior "
         "analysts say the outcome is still far from certain.",
         ("indirect", "the outcome is still far from certain", "senior analysts", "say")),
    ],
)
def test_a_subject_hung_in_the_clause_before_the_cue(
    nlp: Language, text: str, expected: Row
) -> None:
    got = rows(run(nlp, text))
    assert expected in got
    # the writer's clause holding the subject is nobody's report
    assert not [r for r in got if "mixed" in r[1]]


def test_a_clause_joined_by_and_before_the_cue_is_the_writers(nlp: Language) -> None:
    text = ("The company has long sent confusing signals about the merger and its spokesman "
            "says the deal is still on track.")
    assert rows(run(nlp, text)) == [
        ("indirect", "the deal is still on track", "its spokesman", "say")
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a shared subject: the reporters met say nothing
        ("Officials met reporters and said the bridge would reopen next week.",
         ("indirect", "the bridge would reopen next week", "Officials", "say")),
        # the reporters sit in a relative clause of the subject
        ("Officials who met reporters say the bridge will reopen next week.",
         ("indirect", "the bridge will reopen next week", "Officials", "say")),
        ("Sources close to the negotiations say the deal is near.",
         ("indirect", "the deal is near", "Sources", "say")),
        # "says" does not agree with "leaders": the mayor says it
        ("The mayor said he met the union leaders and says they agreed to the plan.",
         ("indirect", "they agreed to the plan", "The mayor", "say")),
        # a second verb of saying with a subject of its own keeps it
        ("The mayor said the budget was cut and the unions say it will hurt schools.",
         ("indirect", "it will hurt schools", "the unions", "say")),
        # two clauses before a parenthetical cue are both its report
        ("Prices rose sharply in March and fell again in April, the ministry said.",
         ("indirect", "Prices rose sharply in March and fell again in April", "the ministry",
          "say")),
    ],
)
def test_a_noun_before_the_cue_that_is_not_its_subject(
    nlp: Language, text: str, expected: Row
) -> None:
    assert expected in rows(run(nlp, text))


# --- rec4: a clause of reason or concession opening the cue's sentence is not reported ---


@pytest.mark.parametrize(
    "text",
    [
        "But because the columnist is “not a reporter,” he feels free to campaign for the "
        "mayor.",
        "Although the council called the plan “a disgrace,” the mayor believes it will pass.",
    ],
)
def test_opening_reason_clause_is_not_the_cues_report(nlp: Language, text: str) -> None:
    # the quotation in the "because"/"although" clause is not what feels/believes reports
    got = rows(run(nlp, text))
    assert not [r for r in got if r[3] in ("feel", "believe") and "“" in r[1]]


def test_reason_clause_after_the_cue_stays_reported(nlp: Language) -> None:
    # after the cue, the clause of reason is part of what she says
    text = "She said she travels often because “the work takes me everywhere.”"
    got = rows(run(nlp, text))
    assert [r for r in got if r[2] == "She" and r[3] == "say" and "work takes me" in r[1]]


# --- Speaker accuracy on quoted attributions (spk3) ------------------------------------------


def test_headline_name_owns_a_clause_holding_a_partial_quote(nlp: Language) -> None:
    # "Name: clause with ‘quoted words’": the whole clause after the colon is the name's,
    # not a speakerless quotation
    text = ("Mayor Ana Silva: Council Is ‘Too Slow to Fix the Roads’\n\n"
            "The mayor spoke to reporters on Monday.")
    assert row_holding(nlp, text, "Too Slow") == (
        "partial", "Council Is ‘Too Slow to Fix the Roads’", "Mayor Ana Silva", ":")


def test_naming_in_a_free_relative_inside_a_report_is_the_reporters(nlp: Language) -> None:
    # "what he called “...”" inside what the named speaker says: the report's quotation,
    # given to the name that says it, not to the pronoun of the relative clause
    text = ("Senator Ana Silva of Oregon said the party must reach voters who are in what "
            "she called a “restless mood” this spring.")
    assert row_holding(nlp, text, "restless mood")[2] == "Senator Ana Silva of Oregon"


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # the one who releases a text that says something is its speaker, not "that"
        ("The coach released a letter on Friday that says the team is in “excellent shape” "
         "for the season.", "excellent shape", "The coach"),
        # "prompted X to make a comment that ...": X made it
        ("The vote prompted the mayor to make a remark that described the plan as “a total "
         "disaster.”", "a total disaster", "the mayor"),
    ],
)
def test_the_issuer_of_a_text_speaks_for_it(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


def test_a_text_nobody_issues_keeps_its_relative_pronoun(nlp: Language) -> None:
    # no issuer named as the subject: the relative pronoun still stands for the text
    text = "A letter that says the team is in “excellent shape” arrived on Friday."
    assert row_holding(nlp, text, "excellent shape")[2] == "that"


# --- Gerund cues inside an outer report (gerund) ---------------------------------------------


def test_gerund_naming_inside_a_report_is_the_reporters(nlp: Language) -> None:
    # "X said ... Y calling it “...”": the outer speaker reports the naming; the words are
    # given to the one who says them, not to the subject of the gerund
    text = ("The senator said the new plan was no different from the governor calling the old "
            "budget “a reckless gamble” years ago.")
    assert row_holding(nlp, text, "reckless gamble")[2] == "The senator"


def test_coordinated_gerund_keeps_its_own_record(nlp: Language) -> None:
    # "telling X that ... “...” and questioning how ... “...”": the second gerund (parsed as
    # hanging inside the first report) takes the outer speaker but stays its own record
    text = ("The coach sharpened her complaints on Friday, telling NBC that Miller is a "
            "“faker” and questioning how he has “managed to avoid paying his bills.”")
    got = rows(run(nlp, text))
    assert [r for r in got if r[3] == "tell" and r[2] == "The coach"]
    asked = [r for r in got if r[3] == "question"]
    assert asked and asked[0][2] == "The coach" and asked[0][1].startswith("how he has")


# --- naming2: verbs of naming that are no cue, and quoted forms of words -------------------


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # the predicate of "name"/"nickname" (no cue of their own) is what the subject calls X
        ("The senator named her the “quiet power broker” of the party.",
         "her the “quiet power broker” of the party", "The senator"),
        ("Fans nicknamed the striker “the Hammer” after the final.",
         "the striker “the Hammer”", "Fans"),
    ],
)
def test_predicate_of_a_naming_verb_is_the_subjects(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    row = row_holding(nlp, text, content)
    assert (row[1], row[2]) == (content, speaker)


@pytest.mark.parametrize(
    "text",
    [
        # a passive names no namer; a name given to a thing is a title, not words said
        "The senator was named the “most effective” member of the chamber.",
        "The coach named the new stadium “Harbor Field.”",
    ],
)
def test_naming_verb_without_namer_or_with_a_title_links_nothing(
    nlp: Language, text: str
) -> None:
    assert all(r[2] is None for r in rows(run(nlp, text)))


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a quoted form of words on "phrase", "line", "moniker" ...: the words of the one
        # who takes them up, the noun's verb's subject
        ("Many voters disliked the phrase “tax relief.”", "tax relief", "Many voters"),
        ("The mayor fixated on the “harbor” line.", "harbor", "The mayor"),
        ("He doubled down on the “king of debt” moniker.", "king of debt", "He"),
        ("The mayor adopted the nickname “iron lady” after the vote.", "iron lady",
         "The mayor"),
    ],
)
def test_quoted_form_of_words_is_its_users(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


@pytest.mark.parametrize(
    "text",
    [
        # the noun of words as subject: nobody takes the words up
        "The phrase “tax relief” appears twice in the bill.",
        # a slogan or nickname written as a name is cited, not said
        "The mayor adopted the nickname “Iron Lady” after the vote.",
        # a scare quote on a noun that is no form of words
        "The firms signed a “no-limits” partnership on Monday.",
    ],
)
def test_quoted_words_without_user_or_written_as_a_name_link_nothing(
    nlp: Language, text: str
) -> None:
    assert all(r[2] is None for r in rows(run(nlp, text)))


def test_as_naming_across_a_setting_between_object_and_as(nlp: Language) -> None:
    # "described X during an interview as “...”": the "as" hung on the setting's noun
    text = ("The governor described the trade group during a radio interview as “a relic of "
            "another era.”")
    row = row_holding(nlp, text, "a relic of another era")
    assert row[0] == "partial" and row[2] == "The governor"
    assert row[1].startswith("the trade group")


def test_a_setting_holding_a_title_stays_a_setting(nlp: Language) -> None:
    # no "as" naming: a quotation in the setting is a title or a term, not the speaker's
    text = "The governor met the trade group during events such as “Harbor Days” last week."
    assert all(r[2] is None for r in rows(run(nlp, text)))


# --- "in the words of X", "in X's words": a source phrase like "according to X" --------------


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        ("The plan is, in the words of one aide, “dead on arrival.”", "dead on arrival",
         "one aide"),
        # the parse hangs the phrase on another verb than the quotation: still the quotation's
        ("It was a sign that the governor was, in the words of a senior adviser, “the "
         "torchbearer” of the movement.", "the torchbearer", "a senior adviser"),
        ("The senator, in his own words, “never wanted the job.”", "never wanted the job",
         "his"),
    ],
)
def test_in_the_words_of_names_the_quoted(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    row = row_holding(nlp, text, content)
    assert row[2] == speaker and row[3] == "according to"


@pytest.mark.parametrize(
    "text",
    [
        # words that are read or cited, not a source phrase
        "He read the words of the treaty aloud before the vote.",
        # "in other words" restates; nobody is named
        "In other words, the budget will shrink next year.",
    ],
)
def test_words_that_are_no_source_phrase(nlp: Language, text: str) -> None:
    assert all(r[3] != "according to" for r in rows(run(nlp, text)))


# --- a passive naming with a by-agent: the agent is who calls it so -------------------------


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # the parse hangs the "as" on the agent
        ("The talks will turn to the ballot, an option seen by organizers as a “lifeboat” for "
         "moderates.", "lifeboat", "organizers"),
        ("The plan was described by aides as “a disaster in waiting.”", "a disaster in waiting",
         "aides"),
    ],
)
def test_passive_naming_by_agent_is_the_agents(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    row = row_holding(nlp, text, content)
    assert row[0] == "partial" and row[2] == speaker and row[1].startswith("as ")


def test_passive_by_agent_of_no_cue_links_nothing(nlp: Language) -> None:
    # "approve" is no verb of saying or naming: the agent approves, the words are not theirs
    text = "The measure was approved by the board as “a first step.”"
    assert all(r[2] is None for r in rows(run(nlp, text)))


# --- a second report tied on by "before"/"after"/"while" ends the first ---------------------


def test_report_stops_before_a_second_report_of_the_speaker(nlp: Language) -> None:
    text = ("The mayor said the budget was “balanced at last” on the radio before claiming that "
            "the new taxes were “a gift to the city.”")
    got = rows(run(nlp, text))
    first = next(r for r in got if "balanced at last" in r[1])
    assert "claiming" not in first[1] and "gift" not in first[1] and first[2] == "The mayor"
    second = next(r for r in got if "a gift to the city" in r[1])
    assert second[2] == "The mayor" and "balanced" not in second[1]


@pytest.mark.parametrize(
    "text, kept",
    [
        # no verb of saying after "before": the clause runs on
        ("The mayor said the budget was “balanced at last” before leaving for the capital.",
         "before leaving"),
        # a verb of saying with neither a clause nor a quotation of its own
        ("The mayor said the budget was “balanced at last” after speaking with aides.",
         "after speaking"),
    ],
)
def test_report_runs_on_past_a_subordinate_that_is_no_report(
    nlp: Language, text: str, kept: str
) -> None:
    assert kept in row_holding(nlp, text, "balanced at last")[1]


def test_passive_by_agent_without_as_keeps_no_speaker(nlp: Language) -> None:
    # no "as": the quotation in the agent's phrase is no naming by the agent
    text = "Their ties were highlighted by a declaration of a “no-limits” partnership."
    assert all(r[2] is None for r in rows(run(nlp, text)))


# --- a colon quotation whose clause before the colon the parse hangs inside the quotation ---


def test_colon_clause_hung_on_the_quoted_verb_introduces_it(nlp: Language) -> None:
    # the parse makes "delivered" a complement of the quoted "tearing"
    text = ('Mr. Lopez delivered a snappy retort: "No one is tearing this up. We are going to '
            'go forward."')
    assert row_holding(nlp, text, "No one is tearing this up")[2] == "Mr. Lopez"


# --- prec5: a cue-less quotation after the sentence that frames a direct quotation ---------


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # an adverbial aside in the framing sentence ("as he called for ...", "after X
        # declared ...") does not take over the quotation that resumes after it
        ("“We will not back down,” the bishop said in a sermon, as he called for calm in "
         "the city. “The river belongs to everyone.”", "The river", "the bishop"),
        ("“We are going to win big,” the senator said at a rally, two hours after the "
         "networks declared him the winner. “You will be very happy.”", "very happy",
         "the senator"),
        # a relative clause about the speaker's allegiance is a description
        ("“I would use the word careful,” said Tomas Erdal, whom the governor appointed, "
         "and who now backs the mayor. “Patience is something I admire.”", "Patience",
         "Tomas Erdal"),
    ],
)
def test_quotation_resumes_the_direct_quote_past_an_aside(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    assert row_holding(nlp, text, content)[2] == speaker


def test_quotation_after_a_relative_clause_of_saying_goes_on_with_it(nlp: Language) -> None:
    # "said X, who said that B. “C.”": the speaker's own report in the relative clause is
    # what C continues (the relative pronoun stays the mention)
    text = ("“The plan is too timid,” said Dana Holt, a local organizer who said she would "
            "join the march. “We need much more than this.”")
    assert row_holding(nlp, text, "We need much more")[2] == "who"


# --- prec5: quoted fragments of one report across a "that" ----------------------------------


@pytest.mark.parametrize(
    "text, content",
    [
        # an extraposed clause: "calling it “A” that X “B”" is one report
        ('The group released an ad calling it "reckless" that the council "has no plan for '
         'the river."', 'it "reckless" that the council "has no plan for the river."'),
        # the complement of a quoted word of feeling
        ('The pastor ended his campaign on Sunday, telling the crowd that he had "new hope" '
         'that "the city will heal."', 'he had "new hope" that "the city will heal.'),
    ],
)
def test_fragments_joined_by_that_are_one_report(nlp: Language, text: str, content: str) -> None:
    got = [r for r in rows(run(nlp, text)) if r[0] != "indirect"]
    assert [r[1] for r in got] == [content]


def test_fragments_with_a_cue_between_stay_two_reports(nlp: Language) -> None:
    # "adding that": a second cue between the fragments opens a report of its own
    text = "The mayor called the plan “reckless,” adding that it had “no chance.”"
    assert len([r for r in rows(run(nlp, text)) if r[0] == "partial"]) == 2


def test_fragments_across_a_verb_inside_the_report_are_one(nlp: Language) -> None:
    # the verb between the fragments is the reported subject's, not the speaker's
    text = ('The mayor, the governor said, had been in office for "a long time" and signed '
            '"very few laws."')
    got = [r for r in rows(run(nlp, text)) if r[0] == "partial"]
    assert len(got) == 1 and "a long time" in got[0][1] and "very few laws" in got[0][1]


def test_fragments_across_a_second_verb_of_the_speaker_stay_two(nlp: Language) -> None:
    # "called X “A” and ranked Y “B”": two things the speaker did, two reports
    text = ('The governor called the bill "a disaster" and ranked the mayor as one of the '
            '"worst leaders" in the state.')
    assert len([r for r in rows(run(nlp, text)) if r[0] == "partial"]) == 2


# --- spk4: small quoted families (", adding", doubled cues, gerunds in a report) ------------


def test_adding_with_its_own_quotation_is_a_report_of_its_own(nlp: Language) -> None:
    # "she said she was thinking, “A,” adding, “B”": the gerund of saying set off by commas
    # opens a second report; it is not part of the first report's clause
    text = ("The nurse said she was thinking, ''Oh no, this can't be happening,'' adding, "
            "''I didn't have any way to put words to my fear.''")
    got = rows(run(nlp, text))
    assert [r[1] for r in got] == [
        "she was thinking, ''Oh no, this can't be happening",
        "I didn't have any way to put words to my fear.",
    ]
    assert [r[2] for r in got] == ["The nurse", "The nurse"]


def test_adding_without_a_quotation_stays_in_the_report(nlp: Language) -> None:
    # "adding" with no quotation of its own ("adding to the noise") is part of the clause
    text = "The nurse said she was thinking “this cannot be real,” adding to the noise."
    assert len(rows(run(nlp, text))) == 1


def test_coordinated_cue_reports_a_quotation_whose_period_hangs_on_the_root(
    nlp: Language,
) -> None:
    # "was defending X, but conceded “A” where ... “B.”": the closing period the parse hangs
    # on the first verb does not make B that verb's; both fragments are the second cue's
    text = ("The minister was defending the budget against attacks from the opposition, but "
            "conceded “a few cases” where the money may have “gone to waste.”")
    quoted = [r for r in rows(run(nlp, text)) if r[0] != "indirect"]
    assert [(r[1], r[3]) for r in quoted] == [
        ("a few cases” where the money may have “gone to waste.", "concede")
    ]


def test_period_on_the_root_still_links_without_a_coordinated_cue(nlp: Language) -> None:
    # the coordinated verb hangs on the reported clause, not on the cue: the cue reports it
    text = ("The report said that was not its view and dismissed the claims as “old and false "
            "allegations.”")
    assert row_holding(nlp, text, "old and false")[2:] == ("The report", "say")


def test_reported_clause_stops_before_a_coordinated_cue_with_its_own_subject(
    nlp: Language,
) -> None:
    # "pledged to fix the “broken” system and she, once again, promised a “...”": the second
    # cue, with a subject of its own, opens a report of its own
    text = ("The mayor pledged to cut taxes, fix the city’s “broken” bus system and she, once "
            "again, promised a “new deal” for workers.")
    got = rows(run(nlp, text))
    assert ("partial", "fix the city’s “broken” bus system", "The mayor", "pledge") in got
    assert ("partial", "a “new deal” for workers", "she", "promise") in got


def test_reported_clause_runs_over_a_coordinated_clause_that_is_no_cue(nlp: Language) -> None:
    text = ("The mayor pledged to cut taxes, fix the city’s “broken” bus system and she will "
            "lower fares.")
    assert row_holding(nlp, text, "broken")[1].endswith("she will lower fares")


# --- ukstyle: house styles PolNeAR lacks (British single marks, wire datelines, titles
# without full stops) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, content, mention",
    [
        # the second mark of ’n’ is no closing mark: the quotation runs to the real one
        ("‘It was the ’90s all over again, pure rock ’n’ roll,’ Dr Osei said.",
         "It was the ’90s all over again, pure rock ’n’ roll", "Dr Osei"),
        ("‘Rock ’n’ roll is far from dead,’ the drummer insisted.",
         "Rock ’n’ roll is far from dead", "the drummer"),
        # a plural possessive inside single marks
        ("‘This is the farmers’ market, not a car park,’ said Ms Varga.",
         "This is the farmers’ market, not a car park", "Ms Varga"),
    ],
)
def test_apostrophes_inside_single_marks(
    nlp: Language, text: str, content: str, mention: str
) -> None:
    assert rows(run(nlp, text))[0][:3] == ("direct", content, mention)


@pytest.mark.parametrize(
    "text, content",
    [
        ("LONDON (Reuters) - ‘We expect prices to ease next year,’ the central bank governor "
         "said on Thursday.", "We expect prices to ease next year"),
        ('NEW DELHI, March 3 (AFP) - "We will not bow to pressure," the foreign minister '
         "said on Friday.", "We will not bow to pressure"),
        ('NAIROBI (AP) — "The harvest has failed twice," said farmer Grace Wanjiru.',
         "The harvest has failed twice"),
    ],
)
def test_a_dateline_before_the_quotation_is_no_part_of_it(
    nlp: Language, text: str, content: str
) -> None:
    # the dateline is not words of a clause around the quotation: a direct quote, not a
    # partial one that takes the dateline in
    assert rows(run(nlp, text))[0][:2] == ("direct", content)


def test_british_quotation_of_several_paragraphs(nlp: Language) -> None:
    # each paragraph reopens with ‘ and only the last one closes
    text = ("‘The first thing we did was ring the police,’ said Mr Quinlan.\n\n"
            "‘They came within ten minutes and searched the whole house.\n\n"
            "‘Nothing was taken, thank God.’")
    got = rows(run(nlp, text))
    assert len(got) == 2
    assert got[1][1].startswith("They came") and got[1][1].endswith("thank God.")
    assert got[1][2] == "Mr Quinlan"


def test_an_unclosed_single_mark_before_plain_text_stays_dropped(nlp: Language) -> None:
    text = ("‘The first thing we did was ring the police,’ said Mr Quinlan.\n\n"
            "‘They came within ten minutes and searched the whole house.\n\n"
            "Officers left shortly after midnight.")
    assert [r[1] for r in rows(run(nlp, text))] == ["The first thing we did was ring the police"]


@pytest.mark.parametrize(
    "text, name",
    [
        # an honorific without a full stop opens the name but is no part of it
        ("‘The results are striking,’ Dr Okonkwo said.", "Okonkwo"),
        # ... also when the NER takes the name for a place ("Ms" as Mississippi)
        ("‘It felt like the past,’ Ms Okafor said. ‘It was fine,’ she added.", "Okafor"),
    ],
)
def test_honorific_without_full_stop_is_stripped_from_the_name(
    nlp: Language, text: str, name: str
) -> None:
    atts = run(nlp, text)
    assert atts and all(a.speaker is not None and a.speaker.name == name for a in atts)


@pytest.mark.parametrize(
    "text, name",
    [
        # ranks and titles written without full stops (British, Irish, Singaporean style)
        ("‘We have made an arrest,’ Det Supt Fiona Kerrigan said.", "Fiona Kerrigan"),
        ("‘The parish is open to all,’ Fr Declan Moran said.", "Declan Moran"),
        ("Cllr Aoife Brennan said the council would fight the plan.", "Aoife Brennan"),
        ("Police spokesman Insp Tan Wei said the suspect was arrested on Sunday.", "Tan Wei"),
    ],
)
def test_titles_without_full_stops(nlp: Language, text: str, name: str) -> None:
    atts = run(nlp, text)
    assert atts and atts[0].speaker is not None and atts[0].speaker.name == name


def test_a_run_of_titles_alone_is_no_name(nlp: Language) -> None:
    # "Chief Minister" is a description, not a person called "Minister"
    atts = run(nlp, "The Chief Minister informed that the state would release relief funds.")
    assert atts and atts[0].speaker is not None and atts[0].speaker.name == "Chief Minister"


def test_british_quotation_of_several_paragraphs_after_said_colon(nlp: Language) -> None:
    text = "The mayor said: ‘We will rebuild the bridge.\n\n‘And we will do it by spring.’"
    got = rows(run(nlp, text))
    assert [(r[0], r[2]) for r in got] == [("direct", "The mayor")]
    assert got[0][1].startswith("We will rebuild") and got[0][1].endswith("by spring.")


@pytest.mark.parametrize(
    "text, mention",
    [
        # a pull quote signed with a dash, a description and a name
        ("‘The strike will go ahead’ — union leader Grace Wambui.", "union leader Grace Wambui"),
        ("“The strike will go ahead” — Grace Wambui.", "Grace Wambui"),
    ],
)
def test_dash_signature_with_a_description(nlp: Language, text: str, mention: str) -> None:
    assert rows(run(nlp, text))[0][:3] == ("direct", "The strike will go ahead", mention)


def test_dash_before_lower_case_words_alone_is_no_signature(nlp: Language) -> None:
    got = rows(run(nlp, "“It is over” — famous last words."))
    assert all(r[2] is None for r in got)


@pytest.mark.parametrize(
    "text, name",
    [
        # South Asian and Malaysian honorifics are no part of the name
        ("Shri Arvind Menon, the district collector, stated that relief camps had been set up.",
         "Arvind Menon"),
        ("Smt Lakshmi Rao said the school would reopen on Monday.", "Lakshmi Rao"),
        ("‘We will act,’ said Tan Sri Azman Rahim.", "Azman Rahim"),
        ("‘We will act,’ Datuk Seri Azman Rahim said.", "Azman Rahim"),
    ],
)
def test_south_asian_and_malaysian_honorifics(nlp: Language, text: str, name: str) -> None:
    atts = run(nlp, text)
    assert atts and atts[0].speaker is not None and atts[0].speaker.name == name
