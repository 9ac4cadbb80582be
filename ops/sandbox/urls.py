"""Routes of the sandbox page (mounted at /sandbox/)."""

from django.urls import path

from ops.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("", views.sandbox_page, name="page"),
    path("api/chats/<int:user_id>/", views.chat_get, name="chat"),
    path("api/chats/<int:user_id>/messages/", views.message_post, name="message"),
    path("api/chats/<int:user_id>/callbacks/", views.callback_post, name="callback"),
    path("api/chats/<int:user_id>/callbacks/<str:callback_id>/", views.callback_answer_get, name="callback_answer"),
    path("api/chats/<int:user_id>/fast-forward/", views.fast_forward_post, name="fast_forward"),
]
