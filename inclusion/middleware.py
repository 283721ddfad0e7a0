"""Une écriture refusée parce que l'année est close donne un message clair, jamais une erreur 500."""

from django.http import JsonResponse
from django.shortcuts import render

from .cloture import AnneeClose


class AnneeCloseMiddleware:
    """Rattrape AnneeClose levée par n'importe quelle vue (inclusion.cloture) : 409 avec le message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AnneeClose):
            return None
        message = exception.message
        if request.content_type == "application/json" or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse(
                {"ok": False, "erreur": message}, status=409, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "annee_close.html", {"message": message}, status=409)
