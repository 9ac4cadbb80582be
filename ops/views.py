"""GET /healthz: the health report for load balancers and uptime probes."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from ops.health import CHEAP_CHECKS, CHECKS, health_report


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """GET /healthz: JSON report, 200 when healthy, 503 otherwise; Telegram only with ?deep=1.

    ``?checks=database,migrations`` narrows it (a load balancer probing the admin process should not
    take it out of rotation because the worker is down).
    """
    requested = [n.strip() for n in request.GET.get("checks", "").split(",") if n.strip()]
    names = [n for n in requested if n in CHECKS] or list(CHEAP_CHECKS)
    if request.GET.get("deep") == "1" and "telegram" not in names:
        names.append("telegram")
    elif request.GET.get("deep") != "1":
        names = [n for n in names if n != "telegram"]
    report = health_report(names)
    response = JsonResponse(
        report.as_dict(), status=200 if report.is_healthy else 503, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response
