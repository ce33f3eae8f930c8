"""{% cart_count as n %}: how many units the visitor's session cart holds (for the nav)."""

from django import template

from villages.selectors.cart import cart_count as _cart_count

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    request = context.get("request")
    session = getattr(request, "session", None)
    # No session, or a forged cookie the database cannot even look up (the 400 page for a NUL).
    if session is None or "\x00" in (session.session_key or ""):
        return 0
    return _cart_count(cart=session.get("villages_cart"))
