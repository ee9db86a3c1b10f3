"""Headers that every public page carries."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH

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

# Features no public page uses, refused to anything a page might embed.
PUBLIC_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"

# The Wagtail admin brings its own inline scripts and is for signed-in staff only.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def csrf_cookie_is_malformed(value: str) -> bool:
    """Whether Django's CSRF middleware would throw this cookie away and set a new one."""
    return len(value) not in (CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH) or any(
        character not in CSRF_ALLOWED_CHARS for character in value
    )


class PublicHeadersMiddleware:
    """Send the public Content-Security-Policy and a Permissions-Policy outside the admin.

    First of all, it refuses an address with a NUL character in it (400).

    Before CSRF protection runs, it also drops a malformed CSRF cookie from requests for
    public pages: Django answers such a cookie with a fresh one (a `Set-Cookie`), and public
    pages must never set a cookie, or no shared cache could keep them. No public form uses the
    CSRF cookie (the comment form has its own defences); the admin keeps Django's behaviour.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            # No address of ours holds a NUL character, and PostgreSQL refuses to compare
            # text with one (a server error, where the reader deserves a plain no). Values in
            # the query are the forms' to clean: a search treats one as a space.
            return HttpResponseBadRequest(
                "This address contains a NUL character (%00), which no page has.",
                content_type="text/plain; charset=utf-8",
            )
        if not request.path.startswith(ADMIN_PREFIXES):
            token = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
            if token is not None and csrf_cookie_is_malformed(token):
                del request.COOKIES[settings.CSRF_COOKIE_NAME]
        response = self.get_response(request)
        if not request.path.startswith(ADMIN_PREFIXES):
            policy = PUBLIC_CONTENT_SECURITY_POLICY
            if getattr(request, "is_preview", False):
                # Wagtail renders a preview as a public page, shown in a frame of its editor.
                policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
            response.headers.setdefault("Content-Security-Policy", policy)
            response.headers.setdefault("Permissions-Policy", PUBLIC_PERMISSIONS_POLICY)
        return response
