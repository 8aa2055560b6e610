from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import directory, events, funding, matching, networking, partnerships, views

router = DefaultRouter(trailing_slash=True)
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("sdgs", views.SustainableDevelopmentGoalViewSet, basename="sdg")
directory.register(router)
matching.register(router)
partnerships.register(router)
funding.register(router)
networking.register(router)
events.register(router)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.CurrentUserView.as_view(), name="me"),
    path("", include(router.urls)),
    # Last, and only for paths ending in a slash, so that CommonMiddleware still
    # redirects /api/themes to /api/themes/ (APPEND_SLASH).
    re_path(r"^.*/$", views.NotFoundView.as_view(), name="not-found"),
]
