from django.urls import path

from . import views

app_name = "neighbourhoods"

urlpatterns = [
    path("me/", views.my_data, name="my_data"),
    path("", views.register_index, name="register_index"),
    path("<slug:community>/", views.register_community, name="register_community"),
    path("people/<id:person_id>/", views.person_view, name="person"),
    path("people/<id:person_id>/contact/", views.person_contact, name="person_contact"),
]
