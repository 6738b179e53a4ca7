from django.urls import path

from closeknit.network import transfer_views

app_name = "transfer"
urlpatterns = [
    path("import/", transfer_views.import_contacts, name="import"),
    path("export/", transfer_views.export_page, name="export"),
    path("export/<str:fmt>/", transfer_views.export_download, name="export-download"),
]
