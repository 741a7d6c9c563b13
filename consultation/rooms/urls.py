from django.urls import path

from . import views

app_name = "rooms"

urlpatterns = [
    path("rooms/<id:room_id>/", views.room_detail, name="room"),
    path("rooms/<id:room_id>/projector/", views.room_projector, name="projector"),
    path("rooms/<id:room_id>/act/<slug:name>/", views.room_act, name="act"),
]
