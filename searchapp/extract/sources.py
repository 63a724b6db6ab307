"""The outlet a document comes from: metadata, then the URL's domain, then cues in the text."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# Domains of outlets that publish about the region (a map we maintain; subdomains match too).
DOMAINS = {
    "bbc.co.uk": "BBC", "bbc.com": "BBC", "theguardian.com": "The Guardian", "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post", "reuters.com": "Reuters", "apnews.com": "AP", "cnn.com": "CNN",
    "aljazeera.com": "Al Jazeera", "bloomberg.com": "Bloomberg", "ft.com": "Financial Times",
    "wsj.com": "The Wall Street Journal",
    "politico.eu": "Politico Europe", "politico.com": "Politico Europe", "dw.com": "DW", "france24.com": "France 24",
    "lemonde.fr": "Le Monde", "euronews.com": "Euronews", "foxnews.com": "Fox News", "dailymail.co.uk": "Daily Mail",
    "thehill.com": "The Hill", "newsweek.com": "Newsweek", "businessinsider.com": "Business Insider",
    "msn.com": "MSN", "novinite.com": "Novinite", "kyivindependent.com": "The Kyiv Independent",
    "kyivpost.com": "Kyiv Post", "pravda.com.ua": "Ukrainska Pravda", "zn.ua": "ZN.UA", "unian.net": "UNIAN",
    "unian.ua": "UNIAN", "ukrinform.net": "Ukrinform", "ukrinform.ua": "Ukrinform", "suspilne.media": "Suspilne",
    "hromadske.ua": "Hromadske", "liga.net": "LIGA.net", "rbc.ua": "RBC-Ukraine", "nv.ua": "NV",
    "president.gov.ua": "President of Ukraine (president.gov.ua)", "kremlin.ru": "Kremlin (en.kremlin.ru)",
    "ria.ru": "RIA Novosti", "tass.ru": "TASS", "tass.com": "TASS", "rt.com": "RT", "interfax.ru": "Interfax",
    "kommersant.ru": "Kommersant", "meduza.io": "Meduza", "novayagazeta.eu": "Novaya Gazeta Europe",
    "themoscowtimes.com": "The Moscow Times", "rbc.ru": "RBC", "svoboda.org": "Radio Svoboda",
    "rferl.org": "RFE/RL", "currenttime.tv": "Current Time", "t.me": "Telegram",
    "belta.by": "BelTA", "nashaniva.com": "Nasha Niva", "zerkalo.io": "Zerkalo", "svaboda.org": "Radio Svaboda",
    "charter97.org": "Charter 97", "belsat.eu": "Belsat", "euroradio.fm": "Euroradio", "nv-online.info": "Nasha Niva",
    "tvn24.pl": "TVN24", "interia.pl": "Interia", "onet.pl": "Onet", "wp.pl": "Wirtualna Polska",
    "gazeta.pl": "Gazeta.pl", "wyborcza.pl": "Gazeta Wyborcza", "rp.pl": "Rzeczpospolita",
    "polsatnews.pl": "Polsat News",
    "bankier.pl": "Bankier.pl", "forsal.pl": "Forsal.pl", "businessinsider.com.pl": "Business Insider Polska",
    "pap.pl": "PAP", "notesfrompoland.com": "Notes from Poland",
    "theepochtimes.com": "The Epoch Times", "nbcnews.com": "NBC News", "today.com": "NBC News",
    "msnbc.com": "NBC News", "money.pl": "Money.pl", "news.sky.com": "Sky News", "sky.com": "Sky News",
    "abcnews.go.com": "ABC News", "rmf24.pl": "RMF24", "dailywire.com": "The Daily Wire", "forbes.com": "Forbes",
    "telegraph.co.uk": "The Telegraph", "npr.org": "NPR", "cnbc.com": "CNBC", "japantoday.com": "Japan Today",
    "channelnewsasia.com": "CNA", "timesofindia.indiatimes.com": "The Times of India",
    "insightnews.media": "Insight News Media", "time.com": "TIME", "scmp.com": "China - South China Morning Post",
    "wirtualnemedia.pl": "Wirtualne Media", "theintercept.com": "The Intercept", "gulf-insider.com": "Gulf Insider",
    "cbc.ca": "CBC", "louderwithcrowder.com": "Louder With Crowder", "pakobserver.net": "Pakistan Observer",
    "epoznan.pl": "E Poznan", "cnn.it": "CNN", "edition.com": "CNN", "allafrica.com": "All Africa",
    "batimes.com.ar": "Argentina - Buenos Aires Times", "brazilian.report": "The Brazilian Report",
    "youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo",
}
_TELEGRAM_CHANNELS = {"rian_ru": "RIA Novosti (Telegram)", "bbcrussian": "BBC News Russian (Telegram)"}
_CUES = [
    re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?([^\W_][\w.&' -]{1,40}?)(?:\.|,|$|\s+\d{4}|\s+all rights)",
               re.IGNORECASE | re.MULTILINE),
    re.compile(r"^(?:source|джерело|источник|крыніца|źródło)\s*:\s*([^\n.]{2,40})", re.IGNORECASE | re.MULTILINE),
    re.compile(r"\b(?:of|for|from)\s+(ZN\.UA|[A-Z][A-Za-z]+\.(?:ua|ru|by|pl|com|net|org))\b"),
]


def source_from_url(url: str) -> str:
    """The outlet of a URL's domain (or the Telegram channel), "" if unknown."""
    try:
        parsed = urlparse(url)
    except ValueError:
        return ""
    host = (parsed.hostname or "").lower().removeprefix("www.")
    if host == "t.me":
        channel = parsed.path.strip("/").split("/")[0]
        return _TELEGRAM_CHANNELS.get(channel, f"Telegram: {channel}" if channel else "")
    while host:
        if host in DOMAINS:
            return DOMAINS[host]
        _, _, host = host.partition(".")
    return ""


def source_from_text(text: str) -> str:
    """A byline or footer cue: "© Minsk Monitor", "Source: Reuters", "... of ZN.UA"."""
    tail = text[-600:]
    for pattern in _CUES:
        match = pattern.search(tail) or pattern.search(text[:600])
        if match:
            return match.group(1).strip(" .,")
    return ""


def detect_source(metadata: str, url: str, text: str) -> str:
    return metadata or source_from_url(url) or source_from_text(text)
