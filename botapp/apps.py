from django.apps import AppConfig


class BotappConfig(AppConfig):
    name = "botapp"
    verbose_name = "Телеграм-бот"

    def ready(self) -> None:
        from botapp.erasure import telegram_user_forget
        from candidates.signals import telegram_user_forgotten

        telegram_user_forgotten.connect(telegram_user_forget, dispatch_uid="botapp.telegram_user_forget")
