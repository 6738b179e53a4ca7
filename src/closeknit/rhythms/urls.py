from django.urls import include, path

app_name = "rhythms"
# Each part of keeping in touch keeps its routes in its own module, all in this namespace.
urlpatterns = [
    path("", include("closeknit.rhythms.reach_out_urls")),
    path("", include("closeknit.rhythms.occasions_urls")),
]
