"""Template context every page needs: the persisted text size."""

TEXT_SIZES = ("small", "medium", "large")
TEXT_SIZE_COOKIE = "yishi_text_size"


def text_size_of(request) -> str:
    size = request.COOKIES.get(TEXT_SIZE_COOKIE, "medium")
    return size if size in TEXT_SIZES else "medium"


def accessibility(request):
    return {"text_size": text_size_of(request), "text_sizes": TEXT_SIZES}
