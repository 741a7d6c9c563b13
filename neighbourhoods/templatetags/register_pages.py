"""`{% registercache %}…{% endregistercache %}`: a register page's content, cached.

The page's `get_context` puts `register_key` in the context (the register's version,
the language and the day: neighbourhoods/register_cache.py); the enclosed content is
rendered once per page and key, then served from the cache until the register or a
page changes. Without a key (a preview in Wagtail's editor) it is rendered each time.
Only what every visitor sees may be enclosed: no user, no CSRF token.
"""

from django import template

from neighbourhoods import register_cache

register = template.Library()


class RegisterCacheNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        key, page = context.get("register_key"), context.get("page")
        if not key or page is None:
            return self.nodelist.render(context)
        return register_cache.fragment(
            f"{key}:{page.pk}", lambda: self.nodelist.render(context)
        )


@register.tag("registercache")
def do_registercache(parser, token):
    nodelist = parser.parse(("endregistercache",))
    parser.delete_first_token()
    return RegisterCacheNode(nodelist)
