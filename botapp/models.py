"""Bot-side records: callbacks and messages already handled, so a redelivered update acts once."""

from django.db import models


class TelegramCallbackLog(models.Model):
    callback_query_id = models.CharField("id нажатия", max_length=64, unique=True)
    telegram_user_id = models.BigIntegerField("id пользователя в Telegram", null=True, blank=True)
    data = models.CharField("данные кнопки", max_length=64, blank=True, default="")
    result = models.CharField("результат", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "нажатие кнопки"
        verbose_name_plural = "нажатия кнопок"

    def __str__(self) -> str:
        return f"{self.callback_query_id}: {self.data}"


class TelegramMessageLog(models.Model):
    """A candidate's message already handled. Telegram delivers an update again when the bot died
    before confirming it; a typed answer must not then also answer the next question."""

    chat_id = models.BigIntegerField("id чата")
    message_id = models.BigIntegerField("id сообщения")
    result = models.CharField("результат", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("когда", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "сообщение кандидата"
        verbose_name_plural = "сообщения кандидатов"
        constraints = [models.UniqueConstraint(fields=["chat_id", "message_id"], name="telegram_message_once")]

    def __str__(self) -> str:
        return f"{self.chat_id}/{self.message_id}"
