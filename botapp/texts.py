"""Every word the bot says to a person, in one place (Russian, friendly, short)."""

# Button labels (DESIGN §8 contracts: these exact words must stay in the buttons).
BTN_CONFIRM = "✅ Подтверждаю"
BTN_DECLINE = "❌ Не смогу"
BTN_CANCEL_BOOKING = "Отменить запись"
BTN_OTHER_TIME = "Выбрать другое время"
BTN_REFRESH = "🔄 Обновить"
BTN_OTHER_RECRUITER = "Другой рекрутёр"
BTN_AGREE = "Согласен"
BTN_DISAGREE = "Не согласен"

# Outbox messages (rendered by the service that causes them; {when} is in the city's zone).
RESERVATION_RECEIVED = (
    "Заявка отправлена рекрутёру {recruiter} на {when} ({zone}).\nМы напишем, как только рекрутёр её рассмотрит."
)
RECRUITER_NEW_REQUEST = "Новая заявка: {candidate} на {when} ({zone}). Решение — в админке."
APPROVED = (
    "Собеседование согласовано!\n📅 {when} ({zone})\n👤 Рекрутёр: {recruiter}\n\nПожалуйста, подтвердите, что придёте."
)
RESCHEDULE_REQUESTED = (
    "Рекрутёр {recruiter} просит выбрать другое время вместо {when} ({zone}). "
    "Нажмите «Выбрать другое время», чтобы увидеть свободные слоты."
)
REJECTED = (
    "Спасибо за интерес к вакансии! К сожалению, сейчас мы не готовы пригласить вас на собеседование. "
    "Желаем удачи в поиске работы."
)
CONFIRM_REQUEST = (
    "Напоминаем: собеседование {when} ({zone}), рекрутёр {recruiter}.\nПодтвердите, пожалуйста, что придёте."
)
REMINDER_1H = "Через час собеседование: {when} ({zone}), рекрутёр {recruiter}. До встречи!"
MEETING_LINK = "Спасибо, участие подтверждено!\n📅 {when} ({zone})\n📍 Ссылка или адрес встречи: {meeting}"
MEETING_LINK_MISSING = "рекрутёр пришлёт отдельно"
RECRUITER_CANDIDATE_CONFIRMED = "Кандидат {candidate} подтвердил участие: {when} ({zone})."
RECRUITER_CANDIDATE_DECLINED = "Кандидат {candidate} не сможет прийти {when} ({zone}). Слот снова свободен."
RECRUITER_CANDIDATE_CANCELED = "Кандидат {candidate} отменил запись на {when} ({zone}). Слот снова свободен."
PENDING_EXPIRED = (
    "Рекрутёр не успел рассмотреть заявку на {when} ({zone}), и она истекла. Пожалуйста, выберите другое время."
)
RECRUITER_PENDING_EXPIRED = "Заявка кандидата {candidate} на {when} ({zone}) истекла без решения. Слот освобождён."
SLOT_CANCELED = "К сожалению, собеседование {when} ({zone}) отменено рекрутёром. Пожалуйста, выберите другое время."
