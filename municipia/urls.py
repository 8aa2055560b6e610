from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from municipia import views
from municipia.accounts import views as account_views

# Not language-prefixed: machine endpoints and the language switch itself.
urlpatterns = [
    path("api/", include("municipia.api.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", views.health, name="health"),
]

# JSON for unmatched /api/ addresses, Django's page elsewhere.
handler404 = views.page_not_found

# Pages carry their language in the URL (/en/, /fr/, /es/, /de/).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("municipia.accounts.urls")),
    path("notifications/", include("municipia.notifications.urls")),
    path("themes/", include("municipia.taxonomy.urls")),
    path("directory/", include("municipia.directory.urls")),
    path("partnerships/", include("municipia.partnerships.urls")),
    path("matching/", include("municipia.matching.urls")),
    path("events/", include("municipia.events.urls")),
    path("networking/", include("municipia.networking.urls")),
    path("funding/", include("municipia.funding.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
