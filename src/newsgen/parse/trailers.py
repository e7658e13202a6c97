"""Scraper junk: the lines that came with the page but are not the article.

Two kinds: a *junk line* is dropped wherever it stands ("Advertisements", "Share this:");
a *cut marker* ends the article, and everything after it is page furniture ("Leave a Reply"
is followed by the comment form, "Related posts" by other headlines).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from newsgen.parse import lexicon
from newsgen.parse.lexicon import is_title_word

_WORDS = r"[\w’'.,&@:/-]*"

# Each pattern must match the whole line (after stripping), case-insensitively.
_JUNK_LINES = [
    r"source link",
    r"advertisements?",
    r"sponsored( content)?",
    r"share( this( article| story| post)?)?( on \w+)?:?",
    r"share on (facebook|twitter|whatsapp|linkedin|reddit|pinterest|email)",
    r"(tweet|pin it|email|print|whatsapp|facebook|twitter|reddit|linkedin|pinterest)",
    r"like this:?",
    r"loading\.*",
    r"click (here|to) .{0,80}",
    r"continue reading\W*.{0,60}",
    r"read (more|the full (story|article)|the rest)\b.{0,100}",
    r"(subscribe|sign up|join)\b.{0,100}",
    r"follow (us|me|@\w+)\b.{0,80}",
    r"(please )?(like|share|comment)\b.{0,40}(this|below|share|comment).{0,80}",
    r"spread the word!?.{0,300}",
    r"listen to the podcast.{0,60}",
    r"expand \| collapse",
    r"% of readers think this story is fact\..{0,40}",
    r"add your two cents\.?",
    r"\(?(photo|image|picture|video)( credit)?s?:.{0,120}\)?",
    # where a picture or video came from: "(Image Via: City Museum)", "VIDEO Source:"
    r"\(?(photo|image|picture|video|graphic)s? (via|source)\s*:.{0,120}",
    r"(featured|header) image.{0,120}",
    r"(comment policy|please adhere to our commenting policy)\b.*",
    r"we (reserve|encourage you)\b.{0,200}",
    r"(view|see) (the )?(comments|gallery|video)\W*",
    r"filed under:?.{0,100}",
    r"tags?:.{0,200}",
    r"(posted|published) in:?.{0,80}",
    r"\[\w+( \w+)?\]: ?https?://\S+",  # "[WEBSITE]: http://..." link lists
    r"(main error mes+age here|more detailed message would go here.*)",
    # WordPress feed footer: "The post <title> appeared first on <site>."
    r"(the|this) post .{1,300} appeared first on .{1,100}",
    r"(copyright ?(©|\(c\)|\d{4})|©|\(c\) ?\d{4}).{0,120}(all rights reserved\b.{0,300})?",
    # the site's logo and slogan, each with its mark: "Daily Wire ©", "news for everyone ®"
    r"[\w’'.&!, -]{1,40} ?[©®™]",
    r"this (content|article|post|story) may be (freely )?(reproduced|republished|reposted|shared)"
    r"\b.{0,400}",
    r"to (read|see) more (posts|articles|stories)\b.{0,200}",
    # syndication credits: "This article has been contributed by SHTF Plan. Visit www...",
    # "Delivered by The Daily Sheeple", "Contributed by X of www.x.com."
    r"this (article|post|story|piece) (has been|was) (contributed|provided|submitted) by .{1,300}",
    r"delivered by [\w.’' -]{1,60}",
    r"contributed by .{1,80}\b(www\.|https?://)\S+",
    r"@\w{2,30}",  # a writer's handle signing off
    r".{0,120}\ball rights reserved\W*",
    r"(rss feed|more articles|older articles|newer articles|other articles) (for|by) .{1,60}",
    r"see an error in this article\?.{0,80}",
    r"\(?(screenshot|photo|image|picture|video|credit)s?( credit)?:.{0,200}",
    r"expand \| collapse\b.{0,300}",
    r"follow .{1,60} on (twitter|facebook|instagram|youtube|linkedin)\b.{0,120}",
    r"(like|find) us on (facebook|twitter|instagram)\b.{0,80}",
    r"check (me|us) out on \w+\W*",
    r"(tumblr|google\+?|more|telegram|skype|pocket|stumbleupon|digg|mix|flipboard)",
    r"[\[(]?(read|see) (more|also)\b.{0,150}[\])]?",
    r"(posted|published) on .{0,40}by \S.{0,60}",
    r"[\w+ .]{0,30}\blink: ?https?://\S+",  # "Facebook Link: http://..." share lists
    r"for more information,? (see|visit|go to|click)\W.{0,80}",
    r"\((to )?donate\b.{0,80}\)",
    r".{0,120}\bclick here( now)?\W*\)?",
    # a prompt under a banner: "Tips, Gear and more; click graphic", "click banner above to ..."
    r".{0,120}\bclick (the |this )?(graphic|banner|image|logo)\b.{0,80}",
    # a report seller's prompt and its link: "Purchase this report @ http://...", "Get Discount
    # on X is now available at http://..." ("@" before an address is never prose)
    r".{1,300}@ ?https?://\S+ ?\.?",
    r"((get|inquire|enquire|request)\b.{0,300}\b(sample|discount|copy)|(make an )?order|purchase"
    r"|buy)\b.{0,300}\bat https?://\S+ ?\.?",
    # a site's blurb ending in its prompt: "X is a leading voice of ... Click here to see all."
    r".{1,200}[.!?][\"”’]?\s+click here to [^.!?]{1,80}[.!?]?",
    r"(useful |related |more )?links:?",  # the label over a list of links
    r"\(?(from )?(left|right)( to (right|left))?: .{1,400}",  # "From left: NRA-ILA ...": a caption
    r".{0,200}\bfrom .{1,60} on (vimeo|youtube)\.?",  # a video embed's caption
    r".{0,200}\|\s*\d{4}\s*\|\s*\d+ min\b.{0,400}",  # "Title | 2017 | 54 min ...": a video card
    r"\[[^\]]{0,40}\d{4}\s*[-–—]\s*[\w.-]+\.[a-z]{2,4}\]",  # "[January 24, 2018 - Site.net]"
    r".{0,120}\b(comment (&|and) share|by sharing this|share this (information|article|post|story))"
    r"\b.{0,200}",
    r".{0,250}\(\s*[A-Z][\w.-]*( [A-Z][\w.-]*)*\s*/\s*[^)]{0,80}\)",  # "(REUTERS/Jane Doe)" caption
    r"thank you( (so much )?for (reading|watching|sharing|your support))?[.!]*",
    r"further reading:?.{0,120}",
    r".{0,120}\bclick the\W{0,2}\w*\W{0,2}(like|share)\W{0,2} button\b.{0,400}",
    r".{1,300} is a post from .{1,200}",  # a feed footer: "X is a post from Site"
    r"(filed under|tagged):.{0,600}",
    r"\w+\]: ?https?://\S+.{0,120}",  # "FACEBOOK]: http://...": a link list, opening cut
    r"headline: .{1,200}",  # another article's headline, shown as an advertisement
    r"(www\.)?[\w-]+(\.[\w-]+)*\.(com|org|net|tv|co|io|info|us|uk)(/\S*)?",  # a bare site name
    r".{0,400}(\.\.|…)\s*read more\W*",  # another article's teaser: "... under the... Read More"
    r"if you would like to (write|submit|contribute)\b.{0,200}",  # "write an op-ed for us"
    r"watch (it )?on (youtube|vimeo)\W*",
    r"view this (article|video|post)\W*",
    r"sources?:?",  # the label over a list of links
    # a press release's contact lines: "Email: sales@...", "Tel: +1-888-...", a bare address
    r"(e-?mail|skype|phone|tel|fax)\s*:\s*\S.{0,80}",
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+\.?",
    r"\\?\+?\s?\d[\d\s().-]{7,20}",
    r"i (receive|earn|may receive|may earn|get) a (small )?commission\b.{0,300}",
    r"for more information,? please visit (our|their|the) website\W*",
    r"error\W*",  # a scraper's failed page
    r"courtesy of [\w.’' -]{1,80}",  # an image credit standing alone
    # "ONS Study: https://...": a reference list's label and link (the source line is meta's)
    r"(?!(?:source|sources|via|originally published|published)\b)[\w’'&. -]{1,60}: ?https?://\S+",
    r"(?:h/t|hat tip|credit)(?: to)?:? [\w.’'@ -]{1,60}",  # "Credit to Infowars"
    # a link to another article: "See Headline of it, Site.com, January 18, 2018."
    r"see .{10,200}, [\w-]+(\.[\w-]+)*\.(com|org|net|info|us|uk)(, \w+\.? \d{1,2}, \d{4})?\W*",
    # the label over a list of earlier articles: "Previously, on this case, at VDARE.com:"
    r"previously,? (on|in|about) .{1,60}\bat [\w-]+(\.[\w-]+)*\.(com|org|net|info)\W*",
    # a sign-up offer: "To receive ongoing messages from X, go to ...", "Receive the next
    # book of messages from X:"
    r"(if you('d| would) like )?to receive (more|ongoing|future|regular|our|free|daily|weekly)"
    r" ([\w-]+ ){0,2}(messages|updates|articles|posts|news|newsletters?|e-?mails|alerts)\b.{0,300}",
    r"receive (the next|our|more|future) .{0,60}\b(messages|updates|articles|posts|newsletter)\b"
    r".{0,60}:",
    # a link list's address, its text cut short by the page (a whole address may be an embed
    # the article shows), alone or run into the next label: "http://example.org…Plastics:"
    r"https?://[^\s…]+…(\S*\s.{0,60}:)?",
    r"[\[(](more|continued|read on)\s*(…|\.\.\.)?[\])]",  # "[More…]": a link to the rest
    # a pointer to the next part on another page: "continued: The Second Visit"
    r"(to be )?continued( (in|on|at))?:\s*\S.{0,100}",
    r"(also|more) by [\w.’' -]{1,40}:",  # "Also by Jane Doe:" over her other posts
    # "This article was posted: Saturday, October 26, ..." (never "... was posted by a user")
    r"this (article|post|entry|story) was posted:? (on )?(mon|tue|wed|thu|fri|sat|sun|jan|feb|mar"
    r"|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)[\w,./: -]{0,60}",
    r"(royalty[- ]free|stock|file) (photo|image|picture)s?\W*",  # an image's licence label
    r"by:?",  # a byline whose name the scraper lost
    # an ad plugin's placeholder: "========= Multi-Author AdSense ========= Skipped due to ..."
    r"={7,}\s*[a-z].{0,400}",
    r"contact me\s*:",  # the label over a blogger's addresses ("Email: ...", "Skype: ...")
    # the player's download link: "Download Podcast (Right Click + 'Save As')"
    r"download (the |this )?(podcast|episode|mp3|audio)\b.{0,80}",
    # a video site's tagline in its plug: "From real independent media."
    r"(from |by )?(real|truly|true|100%) independent media\W*",
]
# a plug for another site: "An Exclusive Un-Censored Video Site!", "The Last Frontier of
# Free Press Is Here! No More Censorship, Unlike YouTube and Others!"
_UNCENSORED_SITE_PLUG = (
    r"(?=.{0,400}!)(?=.{0,400}\b(un-?censored|no more censorship)\b)"
    r"(?=.{0,400}\b(site|free press)\b).{1,400}"
)
# Tried only on a line holding the guard's words: a pattern that opens with ".{0,200}" costs
# every line of every article.
_GUARDED_JUNK = [
    (
        "://",
        r"(?!(?:source|sources|via)\b)[\w’'&. ]{1,60}[-–—] ?https?://\S+",
    ),  # "HR2899- https://"
    ("know", r".{0,200}\blet (me|us) know\b.{0,100}\bcomments?\b.{0,300}"),  # "in the comments"
    # the writer's appeal for money: "You can support my work through my PayPal account."
    *(
        (
            payee,
            # the reader asked ("you can", "please", "consider"): a report about the firm is not
            rf"(?=.{{0,300}}\b{payee}\b).{{0,300}}\b(you can|please|consider|if you)\b.{{0,60}}"
            r"\b(support|fund) (my|our) (work|site|blog|"
            r"ministry|channel|writing|research)\b.{0,300}",
        )
        for payee in ("paypal", "patreon")
    ),
    # the writer's own appeal for money, with its button: "If you would like to make a donation
    # to support the posting of these messages ... click on the button below." ("If you would
    # like to donate to Alyssa's fund, please click here" is the story's appeal, not the site's)
    (
        "donat",
        r"(?=.{0,400}\b(button|click)\b).{0,300}\bdonat\w*\b.{0,100}\bsupport (my|our|this|the) "
        r"(work|site|blog|ministry|channel|posting|writing|research)\b.{0,400}",
    ),
    ("censor", _UNCENSORED_SITE_PLUG),
    # the same plug in an editor's note, telling the reader to move: "... it's high time you
    # switched over to Seen.life. It is a website ... without all the censorship." (a report
    # that users moved to a site speaks of them, not to "you")
    (
        "censor",
        r"(?=.{0,400}\byou (should |must |can )?(switch|mov|join|sign)\w* (over |up )?(to|on|at) "
        r"[\w-]+\.[a-z]{2,6}\b).{0,600}\bcensor\w*\b.{0,300}",
    ),
    # a channel's plug: "Important: X TV is available on DirecTV Ch. 349, U-Verse 1220, ..."
    (
        "directv",
        r".{0,200}\bdirectv (ch\.|channel) ?\d{2,4}\b.{0,400}",  # never "DirecTV 2016 sales"
    ),
    # a prompt to the reader: "Share your thoughts in the comment section!", "Please feel free
    # to post your comments ... in the comments below."
    (
        "comment",
        r".{0,300}\b(post|leave|share|add|drop|put|tell us)\b.{0,100}\b(in|to|into) the comments?"
        r"( section| box| field)?( below)?\W*",
    ),
    # a blog's copyright disclaimer: "... under the 'fair use doctrine' in Sec. 107 of ..."
    ("107", r"(?=.{0,400}\bfair use\b).{0,400}\bsec(tion|\.)? ?107\b.{0,600}"),
    ("itle 17", r"(?=.{0,400}\bfair use\b).{0,400}\btitle 17\b.{0,600}"),
]
# Junk whatever its length: no paragraph of an article reads so.
_LONG_JUNK_LINES = [
    # a copyright notice at any length: "Copyright 2013 X, All Rights Reserved. Please copy ..."
    r"(copyright ?(©|\(c\)|\d{4})|©|\(c\) ?\d{4}).{0,200}\ball rights reserved\b.{0,1600}",
    r"(filed under|tagged):.{0,2000}",
    r".{0,120}\bclick the\W{0,2}\w*\W{0,2}(like|share)\W{0,2} button\b.{0,2000}",
]

_CUT_MARKERS = [
    r"leave a (reply|comment)\W*.{0,40}",
    r"(\d+ )?(comments?|responses?|replies)( \(\d+\))?:?",
    r"related( posts| articles| stories| news)?:?",
    r"you (may|might) also (like|enjoy)\W*",
    r"more (from|stories|on this)\b.{0,60}",
    r"post navigation",
    r"about the author:?",
    r"(previous|next) (post|article)\b.{0,100}",
    r"what do you think\?.{0,80}",
    r"share this:?",
    # A list of other articles: "Jun 29, 2008 — Jim Bray" (date, dash, author) under each.
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}, \d{4}"
    r" [—–-] [A-Z][\w.’' -]{1,40}",
]
# Markers no article sentence reads like: they end the article wherever they stand.
_STRONG_CUT_MARKERS = [
    r"(most recent|recent|older|newer|more|other|latest) (articles|posts|stories|columns)"
    r" (by|from) .{1,60}",
]

JUNK_LINE = re.compile("|".join(f"(?:{p})" for p in _JUNK_LINES), re.IGNORECASE)
LONG_JUNK_LINE = re.compile("|".join(f"(?:{p})" for p in _LONG_JUNK_LINES), re.IGNORECASE)
GUARDED_JUNK = [(word, re.compile(p, re.IGNORECASE)) for word, p in _GUARDED_JUNK]
# A link list's label: "Naming names of those behind the ban:" over an address
_URL_LINE = re.compile(r"https?://\S+.{0,80}", re.IGNORECASE)
CUT_MARKER = re.compile("|".join(f"(?:{p})" for p in _CUT_MARKERS), re.IGNORECASE)
STRONG_CUT_MARKER = re.compile("|".join(f"(?:{p})" for p in _STRONG_CUT_MARKERS), re.IGNORECASE)
STRONG_CUT_AFTER = 1  # lines: the article keeps at least its first line

# The patterns that open with ".{0,N}" try every cut of the line and were most of the time
# of ``JUNK_LINE`` (30-60 µs a line). Each matches only a line holding one of its words:
# those are looked for first, in the lowercased line (``_ascii_folded``: the letters that
# match an ASCII letter under IGNORECASE but do not lowercase to it). A pattern edited so
# that it is no longer a key here loses its guard, never a match.
_GUARDS = {
    r".{0,120}\b(comment (&|and) share|by sharing this|share this (information|article|post|"
    r"story))\b.{0,200}": ("comment", "shar"),
    r".{0,200}\bfrom .{1,60} on (vimeo|youtube)\.?": ("vimeo", "youtube"),
    r".{0,120}\bclick the\W{0,2}\w*\W{0,2}(like|share)\W{0,2} button\b.{0,400}": ("button",),
    r".{0,120}\bclick here( now)?\W*\)?": ("click",),
    r".{0,120}\bclick (the |this )?(graphic|banner|image|logo)\b.{0,80}": ("click",),
    r".{1,300}@ ?https?://\S+ ?\.?": ("@",),
    r".{1,200}[.!?][\"”’]?\s+click here to [^.!?]{1,80}[.!?]?": ("click",),
    r".{0,120}\ball rights reserved\W*": ("reserved",),
    r".{0,400}(\.\.|…)\s*read more\W*": ("read more",),
    r".{0,250}\(\s*[A-Z][\w.-]*( [A-Z][\w.-]*)*\s*/\s*[^)]{0,80}\)": ("/",),
    r".{0,200}\|\s*\d{4}\s*\|\s*\d+ min\b.{0,400}": ("|",),
    r".{1,300} is a post from .{1,200}": ("is a post from",),
    r"(the|this) post .{1,300} appeared first on .{1,100}": ("appeared first on",),
}
_UNGUARDED = re.compile(
    "|".join(f"(?:{p})" for p in _JUNK_LINES if p not in _GUARDS), re.IGNORECASE
)
_GUARDED = [
    (word, re.compile(p, re.IGNORECASE)) for p in _JUNK_LINES if p in _GUARDS for word in _GUARDS[p]
]
_ALL_GUARDED = [*GUARDED_JUNK, *_GUARDED]  # both looked for in the folded, lowercased line


def is_junk(line: str) -> bool:
    """A line to drop wherever it stands. Long lines are prose, never junk (but a few)."""
    if len(line) > 400:
        return LONG_JUNK_LINE.fullmatch(line) is not None
    if _UNGUARDED.fullmatch(line) is not None:
        return True
    folded = line.lower()
    if not folded.isascii():
        folded = _ascii_folded(folded)
    return any(
        word in folded and pattern.fullmatch(line) is not None for word, pattern in _ALL_GUARDED
    )


def _ascii_folded(lowered: str) -> str:
    # "ı" and "ſ" match "i" and "s"; "K" (Kelvin) lowercases to "k"; "İ" to "i\u0307".
    return lowered.replace("ı", "i").replace("ſ", "s").replace("\u0307", "")


def is_cut_marker(line: str) -> bool:
    return len(line) <= 80 and CUT_MARKER.fullmatch(line) is not None


# Below the article, a bio of its writer ("Judi McLeod is an award-winning journalist ...",
# "— Tom Rogan is a writer ...", "Jim can be reached at ...") or the press-release footer of
# an organisation ("The Fraser Institute is an independent ... organization"): it and all
# after it are the page's, not the article's.
AUTHOR_BIO = re.compile(
    r"(?:[—–-]\s*)?[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}(?: \(@\w{1,30}\))?,? (?:is|has been) "
    r"(?:an?|the) "
    r"(?:[\w-]+ ){0,4}(?:journalist|writer|author|editor|columnist|reporter|contributor|"
    r"blogger|correspondent|contributors editor)\b.{0,600}"
    r"|[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3} (?:can be reached|is the author of|tweets @|"
    r"has (?:authored|written|published) (?:over |more than )?[\d,]+\+? (?:books|articles|essays|"
    r"poems|quotes|columns|papers)\b).{0,400}"
    r"|.{0,200}\b(?:his|her) (?:writings|columns|articles) have appeared\b.{0,400}"
    r"|(?:The )?[A-Z][\w.&’'-]*(?: [A-Z][\w.&’'-]*){0,5},?(?: [A-Z]{2,6},?)? is an? "
    r"(?:independent|non-?profit|nonpartisan|congressionally chartered)\b.{0,160}"
    r"\b(?:organi[sz]ation|agency|institute|think tank)\b.{0,600}"
)
BIO_LINES = 3  # a bio stands among the last lines
# An offer below the article: "Select Bibles are now 50% OFF plus Free Shipping".
PROMOTION = re.compile(
    # "For more information on X, visit ... download a free chapter": the issuer's pointer to
    # more about the article's subject, article text as in a press release
    r"(?!for more information\b)"
    r".{0,300}\b(\d+% off|free (shipping|gift|guide|kit|report|e-?book|chapter|trial)|"
    r"download .{0,60}\bfree\b|learn how with a free)\b.{0,300}",
    re.IGNORECASE,
)
PROMOTION_LINES = 6
# A deals plug in the writer's voice: "Who needs slot machines when we have Amazon Lightning
# Deals?" (a report on what shoppers spent on them speaks of no "I", "we" or "you")
DEALS_PLUG = re.compile(
    r"(?=.{0,300}\b(?:I|we|you|my|our)\b).{0,300}"
    r"\b(?:lightning deals|amazon deals|deals on amazon)\b.{0,300}",
    re.IGNORECASE,
)


def _promotions(lines: list[str]) -> set[int]:
    """The offers among the last lines of the page, and a plug between two offers ("Explore
    the ... Series." in a block of Bible deals and free eBooks)."""
    tail = range(max(len(lines) - PROMOTION_LINES, 0), len(lines))
    offers = {index for index in tail if _is_offer(lines[index])}
    return offers | {index for index in tail if index - 1 in offers and index + 1 in offers}


# PROMOTION and DEALS_PLUG try every cut of a line (".{0,300}"): 15-25 µs a line. Each
# matches only a line holding one of its words, looked for as ``is_junk`` looks for the
# junk patterns' (keyed by the pattern's source: an edited pattern loses its guard, never
# a match).
_OFFER_GUARDS = {
    r"(?!for more information\b)"
    r".{0,300}\b(\d+% off|free (shipping|gift|guide|kit|report|e-?book|chapter|trial)|"
    r"download .{0,60}\bfree\b|learn how with a free)\b.{0,300}": ("free", "% off"),
    r"(?=.{0,300}\b(?:I|we|you|my|our)\b).{0,300}"
    r"\b(?:lightning deals|amazon deals|deals on amazon)\b.{0,300}": ("deals",),
}
_OFFERS = [(p, _OFFER_GUARDS.get(p.pattern, ())) for p in (PROMOTION, DEALS_PLUG)]


def _is_offer(line: str) -> bool:
    """``PROMOTION`` or ``DEALS_PLUG`` matches the line."""
    folded = line.lower()
    if not folded.isascii():
        folded = _ascii_folded(folded)
    return any(
        (not words or any(word in folded for word in words)) and pattern.fullmatch(line)
        for pattern, words in _OFFERS
    )


# The salvation appeal a site stands below every post: "ARE YOU COMPLETELY PREPARED?" in
# capitals, then the gospel ("The Bible tells us that every human has sinned ..."). It and
# all after it are the site's.
SALVATION_CALL = re.compile(r"ARE YOU [A-Z’' ]{0,30}\b(?:PREPARED|READY|SAVED)\s*\?")
_GOSPEL = re.compile(r"\b(?:sinned|sinners?|salvation|saved|jesus|christ|gospel)\b", re.IGNORECASE)
_GOSPEL_LINES = 3


def _is_salvation_appeal(lines: list[str], index: int) -> bool:
    return (
        index >= len(lines) - PROMOTION_LINES
        and SALVATION_CALL.fullmatch(lines[index]) is not None
        and any(_GOSPEL.search(line) for line in lines[index + 1 : index + 1 + _GOSPEL_LINES])
    )


# A press release's contact block: "Contact Us:", "Contact–", "Corporate Office:" over a name,
# an address and phone numbers, all short lines to the end.
CONTACT_LABEL = re.compile(
    r"(?:media |press |sales )?contacts?(?: us| details| information| info| person| and sources)?"
    r"\s*[:–—-]?"
    r"|corporate (?:office|headquarters)\s*:?",
    re.IGNORECASE,
)
_CONTACT_LINE_LENGTH = 120


def _is_contact_block(lines: list[str], index: int) -> bool:
    """A contact label in the second half of the text with only short lines after it."""
    return (
        index >= len(lines) // 2
        and CONTACT_LABEL.fullmatch(lines[index]) is not None
        and all(len(line) <= _CONTACT_LINE_LENGTH for line in lines[index + 1 :])
    )


# The blog's name signing off below the article, among its last lines (a "Source:" line may
# follow): "Caroline’s Breast Cancer Blog".
BLOG_SIGN_OFF = re.compile(r"[A-Z][\w’'.&-]*(?: (?:[A-Z][\w’'.&-]*|of|on|the|and|&)){0,6} Blog")


# "Read more:" over a list of other articles' headlines: the list goes with its label.
LIST_LABEL = re.compile(
    r"(?:read|see) (?:more|also)\s*:|also read\s*:|more\s*:|recommended(?: reading)?\s*:|"
    r"(?:trending|popular|top) (?:now|posts|stories)\s*:?|you may have missed\s*:?|"
    # a box of links whose addresses the scraper kept or lost: "Links" over "https://..." and
    # the links' own titles ("Pagan Portals – Candle Magic")
    r"(?:useful |related |more |external )?links\s*:?|"
    # a sign-up offer over the titles on offer: "Receive the next book of messages from X:"
    r"receive (?:the next|our|more|future) .{0,60}:",
    re.IGNORECASE,
)
_LISTED_HEADLINE_LENGTH = 160


def is_listed_headline(line: str) -> bool:
    """A line under a list label that reads as a headline: short, no full stop at its end,
    most of its longer words capitalised ("The Prepper’s Blueprint: A Step-By-Step Guide")."""
    if len(line) > _LISTED_HEADLINE_LENGTH or line.rstrip("”’\"'").endswith("."):
        return False
    words = [w.strip("“”‘’\"'():,") for w in line.split()]
    longer = [w for w in words if len(w) > 3]
    return len(words) >= 3 and sum(w[:1].isupper() for w in longer) >= 0.6 * len(longer)


# A link list the page cut short: "The decoricator machine" over "https://www.erowid.org…".
_TRUNCATED_LINK = re.compile(r"https?://[^\s…]+…\S*")
_LINK_LABEL_WORDS = 8


def _is_bare_label(line: str) -> bool:
    """A few words with no closing punctuation: a link's text or a list's label, no sentence."""
    return len(line.split()) <= _LINK_LABEL_WORDS and not line.endswith((".", "!", "?", "”", '"'))


def _is_truncated_link_label(lines: list[str], index: int) -> bool:
    """A short unpunctuated line over a truncated link, or closing the text right below one:
    the link's text, or the list's own label. A truncated address is never the article's."""
    above = index + 1 < len(lines) and _TRUNCATED_LINK.fullmatch(lines[index + 1]) is not None
    closing = (
        index == len(lines) - 1
        and index > 0
        and _TRUNCATED_LINK.fullmatch(lines[index - 1]) is not None
    )
    return (above or closing) and _is_bare_label(lines[index])


# A blog page copied by an aggregator ends with the blog's name over its "Source: URL" line:
# "Stockopedia", "NESARA- Restore America – Galactic News", "http://x.blogspot.com – The X".
_SOURCE_URL = re.compile(r"source\s*:\s*https?://(?:www\.)?(?P<host>[^/\s]+)\S*", re.IGNORECASE)
_HOME_PAGE = re.compile(r"https?://(?:www\.)?(?P<host>[^/\s]+)/?(?=\s|$)", re.IGNORECASE)
_SIGN_OFF_WORDS = 12
_HOST_WORDS = {"www", "blogspot", "wordpress", "com", "org", "net", "co", "uk", "info", "news"}


_SLOGAN_LENGTH = 120


def is_slogan_under_headline(
    lines: list[str], index: int, is_headline: Callable[[str], bool]
) -> bool:
    """The page's footer: the headline repeated, the site's slogan, the closing "Source: URL"
    ("Daily Inspiration for living your Ultimate Life!"). The line between the two is the
    site's, whatever it says: the article ended above its headline's repeat."""
    return (
        index == len(lines) - 2
        and index > 0
        and len(lines[index]) <= _SLOGAN_LENGTH
        and _SOURCE_URL.fullmatch(lines[-1]) is not None
        and is_headline(lines[index - 1])
    )


def _is_site_name_over_source(lines: list[str], index: int) -> bool:
    """The line just above a closing "Source: URL" that names the site: a word of it is in
    the source's host name, or it carries the site's home-page address."""
    if index != len(lines) - 2 or len(lines) < 3:
        return False
    line = lines[index]
    source = _SOURCE_URL.fullmatch(lines[-1])
    if source is None or len(line.split()) > _SIGN_OFF_WORDS or line.endswith((".", "”", '"')):
        return False
    if "," in line:  # a greeting signed with the writer's name: "Blessed be, Ellen"
        return False
    if _HOME_PAGE.search(line):
        return True
    host = set(re.split(r"[.-]", source["host"].casefold())) - _HOST_WORDS
    # Five letters at least: "life" is in many a host name ("vividlife") by chance.
    words = {w for w in re.findall(r"\w+", line.casefold()) if len(w) >= 5} - _HOST_WORDS
    return any(word in part for word in words for part in host)


# A list of links below the article: each line a headline or a note, then its address
# ("Live map of the conflict https://..."), three or more in a row, nothing but short lines
# after them. The line over them, short and unpunctuated, is their label.
# A numbered item ("1. Smith J, ... https://doi.org/...") is a reference list: the article's.
_LINK_ITEM = re.compile(r"(?![\d(\[])\S.{0,200}\shttps?://\S+")
_LINK_RUN = 3
_AFTER_LINK_RUN_LENGTH = 120


def _link_list(lines: list[str]) -> set[int]:
    """The indexes of the lines of a closing link list and of its label."""
    run: list[int] = []
    for index, line in enumerate(lines):
        if "://" in line and len(line) <= 400 and _LINK_ITEM.fullmatch(line):
            run.append(index)
            continue
        if len(run) >= _LINK_RUN and all(len(x) <= _AFTER_LINK_RUN_LENGTH for x in lines[index:]):
            break
        run = []
    if len(run) < _LINK_RUN:
        return set()
    listed = set(run)
    above = run[0] - 1
    if above >= 0 and _is_bare_label(lines[above]):
        listed.add(above)
    return listed


# Another article offered in the middle of the page: "Related Report" over its headline, a
# teaser and its link ("Access Report: http://..."): the label down to the link go.
RELATED_LABEL = re.compile(
    r"related (?:reports?|posts?|articles?|stories|story)\s*:?", re.IGNORECASE
)
_RELATED_ITEM_LINES = 4
_ENDS_IN_LINK = re.compile(r".*\shttps?://\S+|https?://\S+")


def _related_items(lines: list[str]) -> set[int]:
    """The indexes of each related-article label and the lines down to its link."""
    related: set[int] = set()
    for index, line in enumerate(lines):
        if len(line) > 40 or not RELATED_LABEL.fullmatch(line):
            continue
        for end in range(index + 1, min(index + 1 + _RELATED_ITEM_LINES, len(lines))):
            if _ENDS_IN_LINK.fullmatch(lines[end]):
                related.update(range(index, end + 1))
                break
    return related


# A writer's "About Jane Doe" box, her bio in the first person under it ("I am a blogger,
# thinker and ..."): it and all after it are the page's. (An "About Acme Inc." paragraph
# of a press release speaks in the third person and is the release's.)
ABOUT_LABEL = re.compile(r"[Aa]bout [A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){0,3}:?")
FIRST_PERSON_BIO = re.compile(
    r"(?:I am|I’m|I'm) an? (?:[\w-]+,? ){0,4}(?:blogger|writer|author|journalist|editor|"
    r"columnist|reporter|thinker|researcher|contributor)\b.*"
)


def _is_about_me_box(lines: list[str], index: int) -> bool:
    return (
        index + 1 < len(lines)
        and ABOUT_LABEL.fullmatch(lines[index]) is not None
        and FIRST_PERSON_BIO.fullmatch(lines[index + 1]) is not None
    )


# A site's blurb run on from its name on the line above: "redOrbit.com" then "offers
# Science, Space, ... news. Learn something new every day." (lower case: the same sentence)
_BARE_SITE = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|tv|co|io|info|us|uk)/?")
_SITE_BLURB = re.compile(r"(?:offers|provides|brings|delivers|covers|publishes) \S.{0,400}")


def _under(lines: list[str], index: int, line: re.Pattern[str], above: re.Pattern[str]) -> bool:
    """Line ``index`` is all ``line``, right below a line that is all ``above``."""
    return (
        index > 0
        and line.fullmatch(lines[index]) is not None
        and above.fullmatch(lines[index - 1]) is not None
    )


def _is_site_blurb(lines: list[str], index: int) -> bool:
    return _under(lines, index, _SITE_BLURB, _BARE_SITE)


# The page's furniture above the article: a section crumb in lower case ("press", "health")
# or a bare counter of shares or views ("54"). No article opens with one word in lower case.
_TOP_CRUMB = re.compile(r"[a-z]{2,20}|\d{1,6}")


def _is_top_crumb(index: int, line: str) -> bool:
    return index == 0 and _TOP_CRUMB.fullmatch(line) is not None


# A writer signing off with initials among the last lines: "RR", "— JB" (an acronym that
# closes a list, "USA", is no one's initials).
_INITIALS = re.compile(r"(?:[—–-]\s*)?[A-Z]{2,3}")
_NOT_INITIALS = {"US", "USA", "UK", "EU", "UN", "UAE", "END", "THE", "AND", "NEW"}


def _is_initials_sign_off(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (
        index >= max(len(lines) - BIO_LINES, 1)
        and _INITIALS.fullmatch(line) is not None
        and line.lstrip("—–- ") not in _NOT_INITIALS
    )


# A video's address under its label: "WATCH VIDEO INTERVIEW:" over "http://...": the embed
# the scraper could not copy, like the label.
_WATCH_LABEL = re.compile(r"(?:watch|see|view)\b[\w ’'-]{0,40}:", re.IGNORECASE)
_BARE_URL = re.compile(r"https?://\S+")


def _is_watch_link(lines: list[str], index: int) -> bool:
    return _under(lines, index, _BARE_URL, _WATCH_LABEL)


# Between two junk lines below the article, what is no sentence of it: one word (the blog's
# name or the writer's sign-off: "Follow @BuelahMan", "BuelaHuh?", "Let me know ... in the
# comments"), a cry that ends in "!!" (the site's slogan: "... Wake Up!!!!!!") or a teaser the
# page cut short with "…". Near the top one word may be the writer's greeting, so only the
# second half counts.
def _is_furniture_among_junk(lines: list[str], index: int) -> bool:
    line = lines[index]
    furniture = len(line.split()) == 1 or line.endswith(("!!", "…"))
    return (
        furniture
        and index >= len(lines) // 2
        and 0 < index < len(lines) - 1
        and "://" not in line
        and is_junk(lines[index - 1])
        and is_junk(lines[index + 1])
    )


# A bare address on the site of the page's closing address (its source): the site's own copy
# of the article or of one of its parts ("https://site/.../part-one/" above "PART 2"), never
# an embed the article shows (those are another site's: a video's, a tweet's).
_CLOSING_ADDRESS = re.compile(r"(?:source\s*:\s*)?https?://(?:www\.)?(?P<host>[^/\s]+)\S*", re.I)


def _is_own_site_link(lines: list[str], index: int) -> bool:
    if index >= len(lines) - 1 or not lines[index].startswith("http"):
        return False
    here = _CLOSING_ADDRESS.fullmatch(lines[index])
    closing = _CLOSING_ADDRESS.fullmatch(lines[-1])
    return (
        here is not None
        and closing is not None
        and here["host"].casefold() == closing["host"].casefold()
    )


# A short cry right above a plug for an uncensored video site is the plug's lead-in ("That
# means you and me!"); the article's own lines end in a full stop or run longer.
UNCENSORED_SITE_PLUG = re.compile(_UNCENSORED_SITE_PLUG, re.IGNORECASE)
_CRY_WORDS = 6


def _is_cry_over_plug(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (
        index + 1 < len(lines)
        and line.endswith("!")
        and len(line.split()) <= _CRY_WORDS
        and not any(mark in line for mark in '“”"')
        and "censor" in lines[index + 1].lower()
        and UNCENSORED_SITE_PLUG.fullmatch(lines[index + 1]) is not None
    )


# The lines between two plugs for an uncensored video site are the plug's pitch when they
# speak to the reader ("Do you really think this won’t be used ...?", "That means you and
# me!"): an ad says "you", a news report between two ads does not, and it stays.
_PLUG_GAP = 3  # lines at most between the two plugs
_TO_THE_READER = re.compile(r"\b(?:you|your|yourself)\b", re.IGNORECASE)


def _pitch_between_plugs(lines: list[str]) -> set[int]:
    plugs = [
        index
        for index, line in enumerate(lines)
        if "ensor" in line and UNCENSORED_SITE_PLUG.fullmatch(line)
    ]
    pitch: set[int] = set()
    for first, second in itertools.pairwise(plugs):
        between = range(first + 1, second)
        if len(between) <= _PLUG_GAP and any(_TO_THE_READER.search(lines[i]) for i in between):
            pitch.update(between)
    return pitch


# A photo's caption left standing between two paragraphs: only a title and the name of the
# person the text is about ("German Foreign Minister Frank-Walter Steinmeier"), no verb, no
# full stop. The paragraphs around it name the same person.
_CAPTION_WORDS = range(3, 9)
_CAPTION_JOINS = {"of", "the", "and", "for"}
_SENTENCE_END = (".", "!", "?", "”", '"', "’", ")")
_PARAGRAPH_WORDS = 8


def _is_name_caption(lines: list[str], index: int) -> bool:
    if not 0 < index < len(lines) - 1 or not lines[index][-1].isalpha():
        return False
    words = lines[index].split()
    if len(words) not in _CAPTION_WORDS:
        return False
    if not all(w[0].isupper() or w in _CAPTION_JOINS for w in words) or words[0] in _CAPTION_JOINS:
        return False
    *role, given, surname = words
    name_words = (given, surname)
    if not any(is_title_word(w) for w in role) or any(
        is_title_word(w) or not w.replace("-", "").replace("’", "").isalpha() for w in name_words
    ):
        return False
    around = (lines[index - 1], lines[index + 1])
    return all(
        line.endswith(_SENTENCE_END) and len(line.split()) >= _PARAGRAPH_WORDS for line in around
    ) and any(re.search(rf"\b{re.escape(surname)}\b", line) for line in around)


# The site's slogan under its masthead, above the article: a line in capitals that speaks
# to the reader and makes no sentence ("A REDNECK’S GUIDE TO REVERSING THEIR CONTROL OF YOUR
# BRAIN"), with nothing but page furniture above it. A deck in capitals says what the story
# is ("HIDING IN PLAIN SIGHT") and does not turn to "you".
_SLOGAN_WORDS = range(4, 13)
_SHOUTED_TO_READER = re.compile(r"[^a-z.!?:;\d]*\b(?:YOU|YOUR|YOURSELF)\b[^a-z.!?:;\d]*")
_SLOGAN_ABOVE = 3  # lines: the slogan stands among the first few


def _is_masthead_slogan(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (
        index < _SLOGAN_ABOVE
        and index + 1 < len(lines)
        and len(line.split()) in _SLOGAN_WORDS
        and _SHOUTED_TO_READER.fullmatch(line) is not None
        and all(is_junk(above) for above in lines[:index])
    )


# A picture's caption left standing in brackets between two paragraphs: a few words that
# describe what is shown ("(Trendy modern males, aka hipster)") and make no sentence: no
# full stop, no article, preposition, pronoun or auxiliary. The writer's own asides in
# brackets are sentences ("(at the time of writing, I hold a long position)", "(See below.)").
_BRACKETED = re.compile(r"\(([^()\d.!?:;/]{3,80})\)")
_CAPTION_BRACKET_WORDS = range(3, 9)
_SENTENCE_GLUE = frozenset(
    [
        *lexicon.FUNCTION_WORDS,
        *lexicon.AUXILIARIES,
        *("the", "a", "an", "i", "we", "you", "he", "she", "it", "they", "me", "us", "him"),
        *("them", "my", "our", "your", "his", "her", "its", "their", "this", "these", "those"),
    ]
)


def _is_bracketed_caption(lines: list[str], index: int) -> bool:
    line = lines[index]
    if not (0 < index < len(lines) - 1 and line.startswith("(")):
        return False
    inner = _BRACKETED.fullmatch(line)
    if inner is None:
        return False
    words = [w.strip(",’'\"“”").lower() for w in inner.group(1).split()]
    return (
        len(words) in _CAPTION_BRACKET_WORDS
        and not _SENTENCE_GLUE.intersection(words)
        and any(w[:1].islower() for w in inner.group(1).split())
    )


def strip_trailers(lines: list[str]) -> list[str]:
    """The article's own lines: junk removed, and nothing after a cut marker.

    A cut marker only counts in the last third of the text (or the last few lines), so an
    article that happens to contain a heading "Comments" near its top keeps its body.
    """
    kept: list[str] = []
    tail_start = min(len(lines) * 2 // 3, max(len(lines) - 5, 0))
    listing = False  # inside the headlines (or bare addresses) under a "Read more:" label
    # A bio counts among the last lines of the page that are not junk ("Please adhere to our
    # commenting policy ..." may stand below it).
    end = len(lines)
    while end > 1 and is_junk(lines[end - 1]):
        end -= 1
    bio_start = max(end - BIO_LINES, 1)
    dropped_lines = (
        _promotions(lines) | _link_list(lines) | _related_items(lines) | _pitch_between_plugs(lines)
    )
    for index, line in enumerate(lines):
        if (index >= tail_start and is_cut_marker(line)) or _is_contact_block(lines, index):
            break
        if listing and (is_listed_headline(line) or _BARE_URL.fullmatch(line)):
            continue
        listing = LIST_LABEL.fullmatch(line) is not None
        bio = index >= bio_start and AUTHOR_BIO.fullmatch(line) is not None
        about_me = index >= STRONG_CUT_AFTER and _is_about_me_box(lines, index)
        if bio or about_me or _is_salvation_appeal(lines, index):
            break
        strong = len(line) <= 80 and STRONG_CUT_MARKER.fullmatch(line) is not None
        if index >= STRONG_CUT_AFTER and strong:
            break
        label = (
            line.endswith(":")
            and index + 1 < len(lines)
            and _URL_LINE.fullmatch(lines[index + 1]) is not None
        )
        sign_off = index >= max(len(lines) - BIO_LINES, 1) and BLOG_SIGN_OFF.fullmatch(line)
        dropped = (
            label
            or sign_off
            or index in dropped_lines
            or is_junk(line)
            or _is_truncated_link_label(lines, index)
            or _is_site_name_over_source(lines, index)
            or _is_site_blurb(lines, index)
            or _is_top_crumb(index, line)
            or _is_initials_sign_off(lines, index)
            or _is_watch_link(lines, index)
            or _is_furniture_among_junk(lines, index)
            or _is_own_site_link(lines, index)
            or _is_cry_over_plug(lines, index)
            or _is_name_caption(lines, index)
            or (line[0] == "(" and _is_bracketed_caption(lines, index))
            or (index < _SLOGAN_ABOVE and _is_masthead_slogan(lines, index))
        )
        if not dropped:
            kept.append(line)
    return kept
