from __future__ import annotations

from django.urls import path

from closeknit.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("settings/", views.settings_page, name="settings"),
    path("password/", views.ChangePasswordView.as_view(), name="password-change"),
    path("password/reset/", views.ResetRequestView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.ResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password/reset/done/", views.ResetCompleteView.as_view(), name="password-reset-complete"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("delete/", views.delete_account, name="delete"),
]
