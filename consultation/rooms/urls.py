from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("communities/<slug:community>/rooms/new/", views.room_new, name="room_new"),
    path("rooms/<id:room_id>/", views.room_detail, name="room"),
    path("rooms/<id:room_id>/projector/", views.room_projector, name="projector"),
    path("rooms/<id:room_id>/act/<slug:name>/", views.room_act, name="act"),
    path("rooms/<id:room_id>/agenda/", views.room_agenda_add, name="agenda_add"),
    path("rooms/<id:room_id>/minutes/", views.room_minutes, name="minutes"),
    path(
        "rooms/<id:room_id>/minutes/sign/",
        views.room_minutes_sign,
        name="minutes_sign",
    ),
    path("rooms/<id:room_id>/minutes.pdf", views.room_minutes_pdf, name="minutes_pdf"),
]
