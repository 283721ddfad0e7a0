"""Une écriture refusée parce que l'année est close donne un message clair, jamais une erreur 500."""

from django.http import JsonResponse
from django.shortcuts import render

from .annees_closes import annee_close_de


class AnneeCloseMiddleware:
    """Rattrape AnneeClose levée par n'importe quelle vue (inclusion.cloture), ou le refus du déclencheur
    PostgreSQL qui la double : 409 avec le message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        refus = annee_close_de(exception)
        if refus is None:
            return None
        message = refus.message
        if request.content_type == "application/json" or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse(
                {"ok": False, "erreur": message}, status=409, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "annee_close.html", {"message": message}, status=409)
