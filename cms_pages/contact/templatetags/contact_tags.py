from django import template
from django.utils.translation import get_language

from cms_pages.contact.models import SupervisoryAuthority

register = template.Library()


@register.inclusion_tag("contact/supervisory_authority.html")
def supervisory_authority():
    authority = SupervisoryAuthority.objects.first()
    return {"authority": authority, "name": authority.display_name(get_language()) if authority else ""}
