"""Headers that every public page carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline script or style anywhere on the public site, and nothing from another origin:
# readers behind filtering proxies get the whole page from us or not at all. Video is the
# one exception the reader opts into, by following a link (or pressing play: the player frame
# is created only then, by a same-origin script).
PUBLIC_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "media-src 'self' https:",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The Wagtail admin brings its own inline scripts and is for signed-in staff only.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class PublicHeadersMiddleware:
    """Send the public Content-Security-Policy and a Permissions-Policy outside the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(ADMIN_PREFIXES):
            policy = PUBLIC_CONTENT_SECURITY_POLICY
            if getattr(request, "is_preview", False):
                # Wagtail renders a preview as a public page, shown in a frame of its editor.
                policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            response.headers.setdefault("Content-Security-Policy", policy)
            response.headers.setdefault(
                "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
            )
        return response
