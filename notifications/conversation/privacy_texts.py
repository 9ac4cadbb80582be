"""Every word about erasing personal data (issue 7): the bot's /delete_my_data, the admin action, recruiters."""

BTN_DELETE_MY_DATA = "Удалить мои данные"
BTN_ERASE_YES = "Да, удалить"
BTN_ERASE_NO = "Нет, оставить"

ASK = (
    "Удалить все ваши данные: ФИО, ответы на вопросы, пожелания по времени и историю сообщений?\n"
    "Отменить удаление будет нельзя."
)
# No promise that the recruiter is told: a recruiter without a bound chat is not (issue 12, item 9).
ASK_BOOKING = "Ваша запись на собеседование {when} ({zone}) будет отменена."
NOTHING_TO_ERASE = "У нас нет ваших данных — удалять нечего. Чтобы начать, нажмите /start."
ERASED = "Готово: ваши данные удалены. Если захотите вернуться, нажмите /start."
ERASED_BOOKINGS = "Запись на собеседование отменена."
KEPT = "Хорошо, ничего не удаляем."
ERASED_ANSWER = "Данные удалены"
KEPT_ANSWER = "Ничего не удалено"

# How recruiters see an erased candidate in messages about them ({id} is the candidate's number in the admin).
ERASED_CANDIDATE = "#{id} (данные удалены)"

# SlotEvent reasons: who asked for the booking to be released.
REASON_CANDIDATE = "кандидат удалил свои данные"
REASON_ERASED = "персональные данные кандидата стёрты"

# Who erased (Candidate.erased_by) when it is not an admin user.
BY_CANDIDATE = "кандидат (через бота)"
BY_RETENTION = "автоудаление: нет активности {days} дн."

# Text put in place of a personal value inside free text that is kept (audit reasons, admin history).
REDACTED = "[данные удалены]"

# Admin action.
ADMIN_ACTION = "Стереть персональные данные"
ADMIN_DONE = "Персональные данные стёрты: {count}. Отменено записей: {bookings}."
ADMIN_FAILED = "Не удалось стереть данные кандидата #{id}: {error}"
ADMIN_LOG = "Персональные данные стёрты"
