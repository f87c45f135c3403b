"""The agency's pages, under /o/<org>/agency/ (spliced into the workspace's URL map)."""

from __future__ import annotations

from django.urls import path

from securable.web.agency import views

P = "o/<slug:org>/agency/"

urlpatterns = [
    path(P + "requirements/", views.requirement_sets, name="requirement_sets"),
    path(P + "requirements/new", views.requirement_set_create, name="requirement_set_create"),
    path(P + "requirements/<slug:slug>/", views.requirement_set, name="requirement_set"),
    path(P + "requirements/<slug:slug>/tailor", views.requirement_set_tailor, name="requirement_set_tailor"),
    path(
        P + "requirements/<slug:slug>/approve", views.requirement_set_approve, name="requirement_set_approve"
    ),
    path(
        P + "requirements/<slug:slug>/requirements.json",
        views.requirement_set_export,
        name="requirement_set_export",
    ),
    path(P + "vendors/", views.vendor_packages, name="vendor_packages"),
    path(P + "vendors/upload", views.vendor_upload, name="vendor_upload"),
    path(P + "vendors/from-link", views.vendor_from_link, name="vendor_from_link"),
    path(P + "vendors/<int:pk>/", views.vendor_package, name="vendor_package"),
    path(P + "evaluations/", views.evaluations, name="evaluations"),
    path(P + "evaluations/run", views.evaluation_run, name="evaluation_run"),
    path(P + "evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path(P + "evaluations/<int:pk>/evaluation.<str:fmt>", views.evaluation_export, name="evaluation_export"),
]
