from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from cms_pages.consent.fragments import cached_fragment
from cms_pages.contact.models import SupervisoryAuthority

register = template.Library()


@register.simple_tag
def supervisory_authority():
    def render():
        authority = SupervisoryAuthority.objects.first()
        name = authority.display_name(get_language()) if authority else ""
        return render_to_string("contact/supervisory_authority.html", {"authority": authority, "name": name})

    return cached_fragment("authority", render)
