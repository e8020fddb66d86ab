"""The portal's answer to the public site's hooks: Annex A of the data processing agreement."""

from wagtail import hooks


@hooks.register("dpa_annex_a")
def dpa_annex_a():
    from hrportal.privacy.dpa_annex import annex_a

    return annex_a()
