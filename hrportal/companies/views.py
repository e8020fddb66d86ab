from django.shortcuts import render


def dashboard(request):
    return render(request, "hrportal/dashboard.html", {"company": getattr(request, "company", None)})
