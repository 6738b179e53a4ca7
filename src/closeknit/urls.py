from django.urls import include, path

urlpatterns = [
    path("", include("closeknit.network.urls")),
    path("", include("closeknit.network.transfer_urls")),
    path("accounts/", include("closeknit.accounts.urls")),
    path("", include("closeknit.recovery.urls")),
    path("", include("closeknit.wellbeing.urls")),
    path("", include("closeknit.rhythms.urls")),
    path("", include("closeknit.notify.urls")),
    path("", include("closeknit.insights.urls")),
    path("", include("closeknit.circle.urls")),
    path("api/v1/", include("closeknit.api.urls")),
    path("demo/", include("closeknit.demo.urls")),
]
