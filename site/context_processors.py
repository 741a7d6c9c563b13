"""Template context every page needs: the persisted text size, and the address of
this page in the other language (a plain link: the language is in the address,
English under /en/, so switching needs no form, no cookie and no CSRF token, and
visitors' pages stay the same for everybody — yishi/visitor_cache.py)."""

from django.urls import translate_url
from django.utils.translation import get_language

TEXT_SIZES = ("small", "medium", "large")
TEXT_SIZE_COOKIE = "yishi_text_size"


def text_size_of(request) -> str:
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "medium")
    return size if size in TEXT_SIZES else "medium"


# (language code, the name shown in that language, the lang attribute)
OTHER_LANGUAGE = {
    "en": ("zh-hans", "简体中文", "zh-Hans"),
    "zh-hans": ("en", "English", "en"),
}


def other_language(request) -> dict:
    code, name, lang = OTHER_LANGUAGE.get(get_language(), OTHER_LANGUAGE["zh-hans"])
    here = request.get_full_path()
    url = translate_url(here, code)
    if url == here:  # an address no pattern knows (a 404): that language's home
        url = "/en/" if code == "en" else "/"
    return {"url": url, "name": name, "lang": lang}


def accessibility(request):
    return {
        "text_size": text_size_of(request),
        "text_sizes": TEXT_SIZES,
        "other_language": other_language(request),
    }
