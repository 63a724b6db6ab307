"""Stopwords per script: function words that get no stem in the ranked fields.

English and Russian come from Whoosh's lists; Polish, Ukrainian and Belarusian
are short lists of the most frequent function words. Stopwords stay in the
exact fields, so a quoted phrase can still contain them.
"""

from whoosh.lang.stopwords import stoplists

_POLISH = """
a aby ale ani aż bo by być był była było były czy dla do gdy gdzie i ich im
ja jak jako jednak jego jej jest jeszcze już ku lub mi mnie na nad nie nim o
od oraz po pod przez przy się są ta tak także te tego tej ten to tu tym w we
z za ze że żeby
"""

_UKRAINIAN = """
а або але б би був була було були в від він вона вони воно все всі вже
де для до є же з за і із їх її його й як яка який які коли ми на над не ні
но о об от по при про саме та так також те тим ті то тут у у це ці чи що
щоб ще я
"""

_BELARUSIAN = """
а або але б бы быў была было былі ў в від ён яна яны яно ўсе ўжо дзе для да
ёсць з за і іх яе яго й як якая які якія калі мы на над не ні па пры пра
гэта гэтыя ці што каб яшчэ я таксама толькі
"""

LATIN_STOPWORDS = frozenset(stoplists["en"]) | frozenset(_POLISH.split())
CYRILLIC_STOPWORDS = (
    frozenset(w.replace("ё", "е") for w in stoplists["ru"])
    | frozenset(_UKRAINIAN.split())
    | frozenset(w.replace("ё", "е") for w in _BELARUSIAN.split())
)
