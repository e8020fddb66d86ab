"""Portal notices of the privacy app: whether the company must (re-)accept the data processing agreement."""


def privacy_notices(request):
    company = getattr(request, "company", None)
    if (
        company is None
        or getattr(request, "via_mandate", False)
        or not request.path_info.startswith("/portal/")
    ):
        return {}

    def dpa_needs_acceptance():
        from hrportal.privacy.dpa import status

        return status(company).needs_acceptance

    return {"dpa_needs_acceptance": dpa_needs_acceptance}
