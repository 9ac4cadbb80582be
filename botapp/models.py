"""Bot-side records: callbacks already handled, so a redelivered button press acts once."""

from django.db import models


class TelegramCallbackLog(models.Model):
    callback_query_id = models.CharField(max_length=64, unique=True)
    telegram_user_id = models.BigIntegerField(null=True, blank=True)
    data = models.CharField(max_length=64, blank=True, default="")
    result = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "нажатие кнопки"
        verbose_name_plural = "нажатия кнопок"

    def __str__(self) -> str:
        return f"{self.callback_query_id}: {self.data}"
