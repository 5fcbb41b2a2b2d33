"""Privacy scrubbing: what people typed is kept as evidence, what identifies them is not.

Unmatched requests ("is there anything for my mum's stairs?") are the best
evidence of need a council gets, so the words are kept. What could identify a
person is replaced by a placeholder before the text is written anywhere, the
local outbox included: names, email addresses, phone numbers, National
Insurance numbers, house numbers with their street, dates (a date of birth plus a
district singles out a person), long digit runs (card, account, reference
numbers) and full postcodes, which are cut to the district (`LS6 2AB` ->
`LS6`), because a unit postcode covers about fifteen households and a
district covers thousands.

People also write details so a filter will not see them, and those go too:
email addresses spelt out ("jane at gmail dot com", "jane[at]gmail[dot]com"),
vehicle registrations (`[vehicle]`), postcodes typed a character at a time
("N B 3 4 A B" -> `NB3`), dates and years in words ("the third of march
nineteen fifty two" -> `[date]`), house numbers in words ("twenty two Acacia
Avenue" -> `[address]`) and numbers read out digit by digit ("oh seven seven
double oh nine..." -> `[number]`).

Names become `[name]` where people say them. After the explicit cues "my name
is", "my name's", "name:", "call me" and "is called" any word that is not on a
stop list of ordinary words is taken, in any case ("my name is sarah jones"),
and a name wins over anything it looks like ("my name is Sarah Council"); so it
does after a title (Mr, Mrs, Mx in any case; Ms, Dr, Miss capitalised). After
the weaker cues, "I'm" / "I am", "this is", "it's ... here", "my son", "my mum"
and other relatives, and a closing "thanks,", a capitalised word is taken, and so
is a lower-case known first name ("i'm sarah", "my mum joan"; not after
"thanks"), with a lower-case surname after it ("i'm sarah jones"). Anywhere, a
known first name followed by a capitalised surname ("Sarah Jones") is a name.

What the weaker cues do not take, because managers need those words:
- ordinary words on the stop list (feelings, states, roles, little words, a
  leading "the"): "I'm Worried", "i'm deaf", "I am In Leeds", "this is urgent";
- an organisation or service: the capitalised words after the cue (with "of",
  "for", "the" and "&" between them) hold an organisation word (Council, Trust,
  Centre, UK, NHS, Hospital, Church, Advice, Carers, Aid...) or start with a
  known organisation (Mind, Mencap, Marie Curie...): "this is Leeds City
  Council", "this is St Mary's Church", "this is Carers Leeds";
- after "I'm", "I am", "this is" and "it's ... here", a known place: "I'm Leeds
  born", "this is Bradford";
- a lower-case word that is not a known first name ("i'm carer"), nor "frank"
  ("i'm frank", a first name that is an everyday word too).
Relatives include plurals and exes ("my sons Tom and Harry", "my ex Dave"), and a
list of names after a name is taken whole ("[name], Jo and Amelia"); "name is" and
"named" are explicit cues wherever they stand ("my wife's name is Lucy"); a known
first name in capitals counts after a weaker cue ("I'M SARAH").
A known first name keeps the person unless the next word is an organisation word
that is not also a surname: "I'm Sarah Jones", "my mum Joan Hall" and "I'm Sarah
from Age UK" lose the name, "this is Victoria Hospital" keeps its words. The
word lists are data: `_NOT_A_NAME`, `_FIRST_NAMES`, `_ORGANISATION_WORDS`,
`_SURNAMES_AMONG_ORGANISATION_WORDS`, `_KNOWN_ORGANISATIONS` and `_PLACE_WORDS`.

Not caught: a name with no cue ("Sarah needs help", "sarah jones"), a name in
capitals after a weaker cue that is not a known first name, a lower-case
name after one that is not on the first-name list ("i'm wojciech"), a cue-less
full name whose first name is not on the list ("Wojciech Nowak"), and a person
whose surname is an organisation word that is not also a common surname, after
a weaker cue and a first name not on the list ("I'm Wojciech Council"). Over
scrubbed: a known first name before a surname-like word that names a building
("Victoria Hall" becomes `[name]`), and organisations named after a person
with a known first name ("Florence Nightingale Hospice"). After an explicit cue,
over-scrubbing is preferred: a lost word costs less than a kept name.

The order of the passes matters: an NI number holds six digits that the phone
and digit-run passes would otherwise half-match, and dates are taken before
phone numbers so `01/02/1980` is a `[date]`, not a `[number]`. Names go last,
on words only, so no other detail is half-taken as a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers

from navigator.kb.places import POSTCODE

# Re-exported: the records layer reads consented districts through its scrubber's name.
from navigator.kb.places import postcode_district as postcode_district

EMAIL = "[email]"
PHONE = "[phone]"
NI_NUMBER = "[ni-number]"
DATE = "[date]"
NUMBER = "[number]"
ADDRESS = "[address]"
NAME = "[name]"
VEHICLE = "[vehicle]"
PLACEHOLDERS = (EMAIL, PHONE, NI_NUMBER, DATE, NUMBER, ADDRESS, NAME, VEHICLE)

_EMAIL = re.compile(r"""[^\s@<>()\[\]{},;:"]+@[^\s@<>()\[\]{},;:"]+\.[A-Za-z0-9-]+""")

# Email addresses spelt out so a filter would miss them: "jane at gmail dot com",
# "jane[at]gmail[dot]co[dot]uk", "jane (at) gmail.com", "jane @ gmail . com". The last part
# must be a common top-level domain, so "help at home dot" or "look at Leeds" stay.
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\s*\.\s*)"
_TOP_LEVEL = r"(?:com|co|uk|org|net|gov|ac|nhs|me|io|info|biz|ie|eu|email|online|live)"
_LABEL = r"[a-z0-9][a-z0-9_+-]*"
_SPELT_EMAIL = re.compile(
    rf"\b{_LABEL}(?:{_DOT}{_LABEL})*{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TOP_LEVEL}\b",
    re.IGNORECASE,
)

# Broad on purpose (the field notes' pattern): over-scrubbing a reference number costs
# nothing, a surviving NI number is a breach. A trailing suffix letter separated by a
# space is taken only in capitals, so "QQ123456 a day" keeps its "a". The gaps between
# the digit pairs must agree, so "my 1920-01-01" is read as a date.
_NI_NUMBER = re.compile(
    r"\b[A-Z]{2}[ -]?\d{2}(?P<gap>[ -]?)\d{2}(?P=gap)\d{2}(?:(?-i:[ -]?[A-D])|[a-d])?\b",
    re.IGNORECASE,
)

_MONTH_NOT_MAY = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH = rf"(?:{_MONTH_NOT_MAY}|may)"
_DAY_NUMBER = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_ORDINAL = rf"{_DAY_NUMBER}(?:st|nd|rd|th)"
_DAY = rf"{_DAY_NUMBER}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'?\d{2})(?![-/.]\d)"
# "may" is also a verb ("2 may help"), so it counts as a month only beside an ordinal,
# "of" or a year.
_DATE = re.compile(
    r"|".join(
        (
            rf"\b\d{{4}}[-/.]{_MONTH_NUMBER}[-/.]{_DAY_NUMBER}\b",  # 1980-02-01
            rf"\b{_DAY_NUMBER}[-/.]{_MONTH_NUMBER}[-/.](?:\d{{4}}|\d{{2}})\b",  # 01/02/1980
            rf"\b{_DAY}\s+(?:of\s+)?{_MONTH_NOT_MAY},?(?:\s+{_YEAR})?\b",  # 1st March 1980
            rf"\b(?:{_ORDINAL}\s+(?:of\s+)?|{_DAY}\s+of\s+)may\b,?(?:\s+{_YEAR})?\b",
            rf"\b{_DAY}\s+may,?\s+{_YEAR}\b",  # 2 May 1980
            rf"\b{_MONTH}\s+{_DAY},?\s+(?:\d{{4}}|'\d{{2}})(?![-/.]\d)\b",  # March 1, 1980
            rf"\b{_MONTH}\s+{_ORDINAL}\b",  # March 1st
        )
    ),
    re.IGNORECASE,
)

# UK numbers: 0 then 9 or 10 digits, or +44 / 0044 with an optional (0); spaces, dots,
# dashes and brackets may sit between digits. `phonenumbers` then finds the rest,
# including other countries' numbers.
_SEP = r"[\s.\-()]{0,3}"
_UK_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){_SEP}44{_SEP}(?:\(0\){_SEP})?|\(?0)(?:\d{_SEP}){{8,9}}\d(?!\d)"
)

# A house number with its street ("14 Elm Road", "3a Mill Lane") points at one household;
# the street alone does not, so "on Elm Road" is kept.
_STREET_WORDS = (
    r"road|rd|street|st|avenue|ave|lane|close|drive|crescent|grove|terrace|gardens|gdns"
    r"|mews|way|court|place|square|walk|row|rise|parade"
)
_NOT_A_STREET_NAME = (
    r"the|a|an|my|our|his|her|their|to|of|and|or|in|on|at|for|down|up|from|with|by|each"
    r"|days?|weeks?|months?|years?|miles?|times?|hours?|minutes?|kids?|children|people"
)

_DIGIT_RUN = re.compile(r"\d(?:[ \t\-.()]{0,3}\d){5,}")

# --- Numbers and dates in words ----------------------------------------------------------
_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEEN = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_NUMBER_WORDS = rf"(?:{_TENS}(?:[\s-]+{_UNIT})?|{_TEEN}|{_UNIT})"
"""One to ninety-nine in words (a house number, a day)."""
_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[\s-]+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    r"|eighteenth|nineteenth|twentieth|thirtieth"
)
_YEAR_WORDS = (
    rf"(?:(?:nineteen|twenty)[\s-]+(?:(?:oh|o)[\s-]+{_UNIT}|{_TEEN}|{_TENS}(?:[\s-]+{_UNIT})?)"
    rf"|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORDS}))?)"
)
_ANY_YEAR = rf"(?:\d{{4}}|{_YEAR_WORDS})"
_WORDED_DATE = re.compile(
    "|".join(
        (
            rf"\b(?:the\s+)?(?:{_ORDINAL_WORDS})\s+(?:of\s+)?{_MONTH_NOT_MAY}(?:,?\s+{_ANY_YEAR})?\b",
            rf"\b(?:the\s+)?(?:{_ORDINAL_WORDS})\s+of\s+may(?:,?\s+{_ANY_YEAR})?\b",
            rf"\b{_MONTH}\s+(?:the\s+)?(?:{_ORDINAL_WORDS})(?:,?\s+{_ANY_YEAR})?\b",
            rf"\b{_YEAR_WORDS}\b",
        )
    ),
    re.IGNORECASE,
)
# A run of six or more digits said in words ("oh seven seven double oh nine..."): a phone,
# account or reference number read out.
_DIGIT_WORD = (
    r"(?:zero|oh|nought|nil|one|two|three|four|five|six|seven|eight|nine"
    r"|double|triple|treble|\d+)"
)
_WORDED_NUMBER = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{5,}}\b", re.IGNORECASE)

# A postcode typed letter by letter ("N B 3 4 A B", "n.b.3 4 a b"): the characters are
# joined and kept only as far as the district, like any other full postcode.
_SPACED = r"[ \t.\-]*"
_SPACED_POSTCODE = re.compile(
    rf"\b[A-Z](?:{_SPACED}[A-Z])?{_SPACED}\d(?:{_SPACED}[A-Z\d])?"
    rf"{_SPACED}\d{_SPACED}[A-Z]{_SPACED}[A-Z]\b",
    re.IGNORECASE,
)

# UK number plates: current (AB12 CDE), prefix (A123 BCD) and suffix (ABC 123D). The
# current form is taken in any case, unless its last three letters are a word (a district
# then a word: "NB12 and"); the older forms only in capitals, since "b12 and" is a vitamin.
_PLATE_WORDS = frozenset(
    [
        "and",
        "the",
        "now",
        "too",
        "for",
        "but",
        "not",
        "can",
        "was",
        "has",
        "had",
        "our",
        "you",
        "her",
        "him",
        "his",
        "all",
        "any",
        "are",
        "may",
        "day",
        "see",
        "get",
        "got",
        "bus",
        "car",
        "van",
        "way",
        "who",
        "how",
        "why",
        "new",
        "old",
        "one",
        "two",
        "few",
        "lot",
        "off",
        "out",
        "own",
        "say",
        "she",
        "use",
        "yet",
        "ago",
        "did",
        "due",
        "end",
        "far",
        "its",
        "let",
        "man",
        "men",
        "put",
        "run",
        "set",
        "sit",
        "ten",
        "try",
        "war",
        "yes",
    ]
)
_CURRENT_PLATE = re.compile(r"\b([A-Z]{2}\d{2})[ \t]?([A-Z]{3})\b", re.IGNORECASE)
_OLDER_PLATE = re.compile(r"\b(?:[A-Z]\d{1,3}[ \t]?[A-Z]{3}|[A-Z]{3}[ \t]?\d{1,3}[A-Z])\b")

_HOUSE_ADDRESS = re.compile(
    rf"\b(?:\d{{1,4}}[a-z]?|{_NUMBER_WORDS}),?\s+(?:(?:flat|apartment)\s+\d+\w?,?\s+)?"
    rf"(?:(?!(?:{_NOT_A_STREET_NAME})\b)[a-z][\w'-]*\s+){{1,3}}(?:{_STREET_WORDS})\b\.?",
    re.IGNORECASE,
)


def scrub(text: str) -> str:
    """Replace whatever could identify a person in `text`; keep every other word."""
    for scrub_pass in _PASSES:
        text = scrub_pass(text)
    return text


def _emails(text: str) -> str:
    text = _EMAIL.sub(EMAIL, text) if "@" in text else text
    return _SPELT_EMAIL.sub(EMAIL, text)


def _ni_numbers(text: str) -> str:
    return _NI_NUMBER.sub(NI_NUMBER, text)


def _dates(text: str) -> str:
    return _WORDED_DATE.sub(DATE, _DATE.sub(DATE, text))


def _uk_phones(text: str) -> str:
    return _UK_PHONE.sub(PHONE, text)


def _other_phones(text: str) -> str:
    """Numbers `phonenumbers` recognises as real (any country), read as from the UK."""
    if sum(character.isdigit() for character in text) < 7:
        return text
    matches = list(
        phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.VALID)
    )
    for match in reversed(matches):
        text = text[: match.start] + PHONE + text[match.end :]
    return text


def _addresses(text: str) -> str:
    return _HOUSE_ADDRESS.sub(ADDRESS, text)


def _postcodes(text: str) -> str:
    text = POSTCODE.sub(lambda match: match.group(1), text)
    return _SPACED_POSTCODE.sub(_spaced_postcode, text)


def _spaced_postcode(match: re.Match[str]) -> str:
    """The district of a postcode typed with gaps, or the text as it was if it is none.

    Only where it was typed a character at a time: five pieces or more ("N B 3 4 A B",
    with two letters if in lower case), or in capitals with its last three apart
    ("NB3 4 A B"). Words and numbers that only happen to spell a postcode ("a 10 a a",
    "help's 10 at") stay as they are.
    """
    pieces = [piece for piece in re.split(r"[ \t.\-]+", match.group()) if piece]
    characters = "".join(pieces)
    upper = match.group().isupper()
    outward_letters = sum(c.isalpha() for c in characters[:-3])
    spelt = len(pieces) >= 5 and (upper or outward_letters == 2)
    if not spelt and not (upper and len(pieces) >= 4 and all(len(p) == 1 for p in pieces[-3:])):
        return match.group()
    full = POSTCODE.fullmatch(f"{characters[:-3]} {characters[-3:]}")
    return full.group(1).upper() if full else match.group()


def _vehicles(text: str) -> str:
    text = _CURRENT_PLATE.sub(
        lambda m: m.group() if m.group(2).casefold() in _PLATE_WORDS else VEHICLE, text
    )
    return _OLDER_PLATE.sub(VEHICLE, text)


def _worded_numbers(text: str) -> str:
    return _WORDED_NUMBER.sub(NUMBER, text)


def _digit_runs(text: str) -> str:
    return _DIGIT_RUN.sub(NUMBER, text)


# --- Names ------------------------------------------------------------------------------
# Data, not code: words that follow a name cue without being a name. Matched ignoring case.
_NOT_A_NAME_TEXT = """
    a an the not no so very really too just also still only now here there back out off
    in on at to from for with by of about into over after before since until between
    and or but if when while because as than then what who how why where which that this
    it its i me my you your we our us they them their he him his she her hers one
    is am are was were be been being do does did have has had will would can could
    may might must shall should get got getting going gone go come coming came
    looking trying writing calling ringing asking hoping wondering struggling
    waiting living staying working caring needing finding feeling having being
    worried scared afraid frightened anxious nervous stressed depressed desperate
    tired exhausted lonely alone isolated sad upset angry fed unwell ill sick poorly
    okay ok fine well good great better worse bad sorry glad happy sure unsure
    confused lost stuck homeless unemployed retired pregnant broke skint behind
    disabled deaf blind autistic dyslexic partially registered housebound bedbound
    carer caring parent mum mom dad mother father son daughter wife husband partner
    grandparent grandmother grandfather nan gran grandma grandad widow widower
    pensioner student veteran tenant resident single married divorced separated
    new old older young younger aged age over under nearly almost about around
    british english scottish welsh irish polish romanian indian pakistani bangladeshi
    muslim christian jewish hindu sikh catholic black white asian mixed gay lesbian
    bi bisexual trans vegan vegetarian
    urgent important serious difficult hard impossible ridiculous
    please thanks thank cheers hello hi hey sir madam mate love
    asap anytime today tomorrow tonight morning afternoon evening weekend
    monday tuesday wednesday thursday friday saturday sunday
    soon later again once first instead urgently whenever straight direct directly
    during any anyone someone somebody maybe pls plz quickly quick
    mr mrs ms mx miss dr doctor
    road street lane avenue close drive way court place park centre center hospital
    surgery practice school college university council house library
    station trust foundation service services team office unit ward
    need needs needed want wants wanted live lives lived help helps helped got get
    im ive id dont cant wont didnt isnt lol
"""
_NOT_A_NAME = frozenset(_NOT_A_NAME_TEXT.split())

# Common first names, used only before a capitalised surname ("Sarah Jones"). Names that
# are also everyday words at the start of a sentence (Will, May, Bill, Mark, Grace, Hope,
# Joy, June, Rose, Faith) are left out: "Will Social Services call" must stay.
_FIRST_NAMES_TEXT = """
    aaliyah aaron abdul abigail adam adrian aisha alan albert alex alexander alfie alice
    alison amanda amelia amir amy andrea andrew angela ann anna anne anthony archie
    arthur ava barbara barry ben benjamin beth bethany betty brian callum carl carol
    caroline catherine charles charlie charlotte chloe chris christine christopher claire
    colin craig daniel danielle darren dave david dawn dean deborah debbie denise dennis
    derek diane donna doris dorothy duncan dylan edward eileen elaine eleanor elizabeth
    ella ellie emily emma eric evelyn fatima florence frances francis frank freddie gail
    gareth gary gavin george georgia gemma geoffrey gillian gordon graham hannah harry
    harriet hassan hazel heather helen henry holly ian imran isaac isabella isla jack
    jackie jacob jade james jamie jan jane janet jason jean jennifer jenny jessica jill
    joan joanne joe john jonathan joseph josh joshua joyce judith julie karen kate
    katherine kathleen keith kelly kenneth kevin kim kirsty laura lauren leah lee leo
    lesley lewis liam lily linda lisa louise lucy luke lynn maisie malcolm margaret
    maria marie marion martin mary matthew maureen megan melanie michael michelle mia
    mohammed muhammad mohammad nadia natalie neil nicola nicholas nigel noah norman
    oliver olivia oscar pamela patricia patrick paul pauline peter philip phillip
    priya rachel raj rebecca richard rita robert robin ross ruby ruth ryan sally sam
    samantha samuel sandra sarah scott sean shaun sharon sheila shirley simon sophie
    stephen steve steven stuart susan sue teresa thomas tim timothy tom tony tracey
    tracy valerie vera victoria vincent wayne wendy william yusuf zara zoe
"""
_FIRST_NAMES = frozenset(_FIRST_NAMES_TEXT.split())

# First names that are also everyday lower-case words after "I'm" ("i'm frank with you"),
# so in lower case they are not taken as a name there.
_LOWER_CASE_WORDS_ON_THE_NAME_LIST = frozenset({"frank"})

# Words that make a run of capitalised words an organisation or a service, not a person
# ("Leeds City Council", "Carers Leeds", "St Mary's Church", "Women's Aid"). After the
# weaker cues such a run is kept. Plurals are listed where people use them.
_ORGANISATION_WORDS_TEXT = """
    council councils centre centres center trust trusts service services team teams
    society uk nhs hospital hospitals hospice surgery practice clinic school schools
    academy college university library libraries bank banks advice housing association
    group church chapel mosque temple gurdwara synagogue project foundation charity
    partnership network forum hub club cafe café pantry larder kitchen alliance
    federation institute agency department office unit ward board authority commission
    committee company ltd limited cic plc carers citizens health healthcare wellbeing
    pharmacy dental medical hall house homes home police constabulary fire ambulance
    jobcentre bureau helpline aid action shelter refuge army mission law legal
    community residents tenants neighbourhood welfare rights city borough county
    parish direct friends
"""
_ORGANISATION_WORDS = frozenset(_ORGANISATION_WORDS_TEXT.split())

# Organisation words that are also common surnames: straight after a known first name
# they end a person's name ("my mum Joan Hall"), not an organisation's. They are not on
# the stop list either, so "Mrs Hall" and "Sarah Church" are names wherever they stand.
_SURNAMES_AMONG_ORGANISATION_WORDS = frozenset({"church", "hall", "banks", "law"})

# Organisations known by a name that holds no organisation word, including two that
# start with a first name. Matched at the start of the words after a weaker cue.
_KNOWN_ORGANISATIONS = (
    "mind", "mencap", "scope", "sense", "shelter", "crisis", "relate", "samaritans",
    "macmillan", "barnardo", "barnardos", "nspcc", "rnib", "rnid", "cruse", "oxfam",
    "gingerbread", "stepchange", "healthwatch", "marie curie", "sue ryder",
)  # fmt: skip

# Places that follow "I'm" or "this is" without being a name ("I'm Leeds born", "this is
# Bradford"): the demo borough, the nations and the larger towns and cities. Places that
# are also first names (Chester, Florence, Lincoln) are left out, so a person wins.
_PLACE_WORDS_TEXT = """
    northbrook england scotland wales britain ireland yorkshire lancashire london
    birmingham manchester leeds liverpool sheffield bristol newcastle sunderland
    bradford wakefield huddersfield halifax harrogate york hull doncaster rotherham
    barnsley leicester nottingham coventry wolverhampton stoke southampton portsmouth
    plymouth exeter brighton oxford cambridge norwich ipswich luton northampton
    peterborough gloucester cheltenham swindon bournemouth blackpool blackburn bolton
    oldham rochdale stockport salford wigan warrington carlisle middlesbrough gateshead
    cardiff swansea newport glasgow edinburgh aberdeen dundee belfast inverness
    birkenhead crewe telford shrewsbury hereford grimsby scunthorpe chesterfield
    mansfield dewsbury keighley pudsey otley headingley harehills chapeltown armley
"""
_PLACE_WORDS = frozenset(_PLACE_WORDS_TEXT.split())

# Little words inside an organisation's name ("Friends of the Earth", "Action for
# Children"); "and" is not one, so "I'm Wojciech and Social Services said" keeps its name.
_ORGANISATION_CONNECTORS = frozenset({"of", "for", "the"})

_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# Up to three words on one line; the rule then decides how many of them are a name.
_NAME_WORDS = rf"(?P<name>{_WORD.pattern}(?:[ \t]+{_WORD.pattern}){{0,2}})(?!\w)"
# The words from where a name would start, for telling a person from an organisation:
# up to eight on one line, "&" allowed between them ("Leeds & York Partnership").
_FOLLOWING_WORDS = re.compile(rf"{_WORD.pattern}(?:[ \t]+(?:&[ \t]+)?{_WORD.pattern}){{0,7}}")
_RELATIVES = (
    r"mum|mom|mother|dad|father|son|daughter|wife|husband|partner|brother|sister|nan|gran"
    r"|grandma|grandad|grandson|granddaughter|aunt|auntie|uncle|niece|nephew|friend"
    r"|neighbour|cousin|child|baby|boy|girl|carer|stepson|stepdaughter"
    r"|sons|daughters|kids|children|grandchildren|grandkids|brothers|sisters|twins|boys|girls"
    r"|grandchild|grandparents|parents|friends|neighbours|ex|ex-husband|ex-wife|ex-partner"
    r"|boyfriend|girlfriend|fianc[eé]e?|stepmum|stepdad|stepmother|stepfather|stepbrother"
    r"|stepsister|step-son|step-daughter|foster\s+(?:son|daughter|child|carer)|lodger|flatmate"
    r"|housemate|landlord|landlady|social\s+worker|support\s+worker|key\s+worker|care\s+worker"
)


@dataclass(frozen=True)
class _NameRule:
    """Where a name may follow, and how sure the cue is that one does.

    `explicit` cues ("my name is", "Mrs") take a first word in any case, and a name
    wins over anything it looks like. The other, weaker cues take capitalised words
    only, and give way to an organisation, a service or (with `places`) a place:
    "this is Leeds City Council" is evidence, not a person. `lower_first_names` lets
    a weaker cue take a lower-case first word that is a known first name ("i'm sarah").
    `lower_surname` lets a lower-case second word count after a lower-case first word
    ("my name is sarah jones"); after a title the name is one word ("mrs patel next
    door"). `first_names` rules need a known first name and a surname after it. A
    `title` group is replaced along with the name.
    """

    pattern: re.Pattern[str]
    explicit: bool = False
    lower_surname: bool = False
    first_names: bool = False
    lower_first_names: bool = False
    places: bool = False


_NAME_RULES = (
    _NameRule(
        re.compile(
            rf"\b(?:my\s+name\s+is|my\s+name['’]?s|(?:first\s+|full\s+|sur)?name(?:\s*[:=]|\s+-)"
            rf"|name\s+(?:is|was)|names\s+are|named"
            rf"|call\s+me|(?:is|am|['’][sm]|was|be)\s+called)\s*{_NAME_WORDS}",
            re.IGNORECASE,
        ),
        explicit=True,
        lower_surname=True,
    ),
    # "MS" and "ms" are also multiple sclerosis ("my ms nurse"), so Ms is a title only as such.
    _NameRule(
        re.compile(
            rf"(?P<title>\b(?:Mrs?|MRS?|mrs?|Ms|Mx|MX|mx|Dr|DR|Miss|MISS)\.?)[ \t]+{_NAME_WORDS}",
        ),
        explicit=True,
    ),
    _NameRule(
        re.compile(rf"\b(?i:i['’]?m|i\s+am|this\s+is)\s+{_NAME_WORDS}"),
        lower_surname=True,
        lower_first_names=True,
        places=True,
    ),
    _NameRule(
        re.compile(rf"\b(?i:it['’]?s)\s+{_NAME_WORDS}(?=[ \t]+(?i:here)\b)"),
        lower_surname=True,
        lower_first_names=True,
        places=True,
    ),
    _NameRule(
        re.compile(rf"\b(?i:my\s+(?:{_RELATIVES}))(?:\s*,)?\s+{_NAME_WORDS}"),
        lower_surname=True,
        lower_first_names=True,
    ),
    _NameRule(
        re.compile(
            rf"\b(?i:thanks|thank\s+you|many\s+thanks|cheers|regards|best\s+wishes)[,!.]?"
            rf"\s+{_NAME_WORDS}(?=\s*[.!]?\s*$)"
        )
    ),
    _NameRule(re.compile(rf"\b{_NAME_WORDS}"), first_names=True),
)


def _names(text: str) -> str:
    """Replace names said after a cue; see the module docstring for what is caught."""
    for rule in _NAME_RULES:
        text = _names_by_rule(text, rule)
    return _more_names(text) if NAME in text else text


# After a name, more names in a list: "my sons [name] and Harry", "[name], Tom and Jo".
_NEXT_NAME = re.compile(rf"{re.escape(NAME)}(?P<gap>\s*,\s*|\s+and\s+|\s*&\s*)(?P<word>{_LETTER}+)")


def _more_names(text: str) -> str:
    """Names listed after a name: a known first name in any case, or a capitalised word that
    starts no organisation ("[name] and Social Services" keeps its words)."""
    position = 0
    while match := _NEXT_NAME.search(text, position):
        word = match.group("word")
        following = _FOLLOWING_WORDS.match(text, match.start("word"))
        run = [w.casefold() for w in _WORD.findall(following.group())] if following else [word]
        organisation = any(w in _ORGANISATION_WORDS for w in run[1:2]) or _is_known_organisation(
            run
        )
        is_name = word.casefold() in _FIRST_NAMES or (
            word[0].isupper() and word.casefold() not in _NOT_A_NAME and not organisation
        )
        if not is_name or organisation:
            position = match.start("word")
            continue
        text = text[: match.start("word")] + NAME + text[match.end("word") :]
        position = match.start("word")
    return text


def _names_by_rule(text: str, rule: _NameRule) -> str:
    """Like `re.sub`, but a cue whose words are not a name gives up only its first word.

    In "Mr and Mrs Smith" the words after "Mr" are no name, and "Mrs Smith" inside them
    must still be found, so the search goes on from the first word after the cue, not
    from the end of the words looked at. It starts at that word, not one letter on, so
    a cue that begins there is found too ("Name: my name is Jo").
    """
    parts: list[str] = []
    kept_from = position = 0
    while match := rule.pattern.search(text, position):
        span = _name_span(match, rule)
        if span is None:
            position = max(match.start("name"), match.start() + 1)
            continue
        start, end = span
        parts += [text[kept_from:start], NAME]
        kept_from = position = end
    return "".join(parts) + text[kept_from:] if parts else text


def _name_span(match: re.Match[str], rule: _NameRule) -> tuple[int, int] | None:
    """Where the name (with its title) lies in the text, or None if no word is a name."""
    words = list(_WORD.finditer(match.group("name")))
    count = _name_word_count([word.group() for word in words], rule)
    if count == 0 or (not rule.explicit and _names_no_person(match, rule)):
        return None
    has_title = "title" in rule.pattern.groupindex and match.start("title") >= 0
    start = match.start("title") if has_title else match.start("name")
    last = words[count - 1]
    possessive = _POSSESSIVE.search(last.group())
    end = match.start("name") + last.end() - (len(possessive.group()) if possessive else 0)
    return start, end


def _name_word_count(words: list[str], rule: _NameRule) -> int:
    """How many of `words`, from the first, are taken as a name under `rule`."""
    count = 0
    for index, word in enumerate(words):
        bare = _POSSESSIVE.sub("", word)
        if not _may_be_name_word(bare, index, words[0], rule):
            break
        count += 1
        if bare != word:  # "Sarah's mum": the name ends at the possessive
            break
    if rule.first_names and count < 2:
        return 0
    return count


def _may_be_name_word(word: str, index: int, first: str, rule: _NameRule) -> bool:
    if len(word) < 2 or word.casefold() in _NOT_A_NAME:
        return False
    capitalised = word[0].isupper()
    if index == 0:
        if rule.first_names:
            return capitalised and word.casefold() in _FIRST_NAMES
        if rule.lower_first_names and word.islower():
            return word in _FIRST_NAMES and word not in _LOWER_CASE_WORDS_ON_THE_NAME_LIST
        if word.isupper() and word.casefold() in _FIRST_NAMES:
            return True  # "I'M SARAH": a known first name in capitals is still a name
        return rule.explicit or (capitalised and not word.isupper())
    return capitalised or (rule.lower_surname and index == 1 and not first[0].isupper())


def _names_no_person(match: re.Match[str], rule: _NameRule) -> bool:
    """Whether the words a weaker cue would take name an organisation or a place instead.

    The words looked at run from the name's start while they are capitalised, with
    "of", "for" and "the" allowed between them, so "Friends of the Earth" and "St
    Mary's Church" are read whole. A known first name keeps the person unless the very
    next word is an organisation word that is not also a surname: "Sarah Jones Council"
    and "Joan Church" are people, "Victoria Hospital" is not.
    """
    following = _FOLLOWING_WORDS.match(match.string, match.start("name"))
    if following is None:  # the name pattern matched here, so this cannot happen
        return False
    run = _capitalised_run(_WORD.findall(following.group()))
    bare = [_POSSESSIVE.sub("", word).casefold() for word in run]
    if _is_known_organisation(bare):
        return True
    if bare[0] in _FIRST_NAMES:
        return (
            len(bare) > 1
            and bare[1] in _ORGANISATION_WORDS
            and bare[1] not in _SURNAMES_AMONG_ORGANISATION_WORDS
        )
    return any(word in _ORGANISATION_WORDS for word in bare) or (
        rule.places and bare[0] in _PLACE_WORDS
    )


def _capitalised_run(words: list[str]) -> list[str]:
    """The first word, then the capitalised words after it (little linking words skipped)."""
    run = words[:1]
    linking = 0
    for word in words[1:]:
        if word[0].isupper():
            run.append(word)
            linking = 0
        elif word.casefold() in _ORGANISATION_CONNECTORS and linking < 2:
            linking += 1
        else:
            break
    return run


def _is_known_organisation(bare_words: list[str]) -> bool:
    """Whether the run starts with the name of an organisation on the known list."""
    joined = " ".join(bare_words)
    return any(joined == known or joined.startswith(known + " ") for known in _KNOWN_ORGANISATIONS)


_PASSES: tuple[Callable[[str], str], ...] = (
    _emails,
    _ni_numbers,
    _dates,
    _uk_phones,
    _other_phones,
    _addresses,
    _vehicles,  # before postcodes: a district left by cutting one ("NB12") is no plate
    _postcodes,
    _digit_runs,
    _worded_numbers,
    _names,
)
