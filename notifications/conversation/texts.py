"""Every word the bot says to a person, in one place (Russian, friendly, short)."""

from django.utils import translation

# Button labels (DESIGN §8 contracts: these exact words must stay in the buttons).
BTN_CONFIRM = "✅ Подтверждаю"
BTN_DECLINE = "❌ Не смогу"
BTN_CANCEL_BOOKING = "Отменить запись"
BTN_OTHER_TIME = "Выбрать другое время"
BTN_REFRESH = "🔄 Обновить"
BTN_OTHER_RECRUITER = "Другой рекрутёр"
BTN_AGREE = "Согласен"
BTN_DISAGREE = "Не согласен"
BTN_CANCEL_YES = "Да, отменить"
BTN_CANCEL_NO = "Нет"

# Outbox messages (rendered by the service that causes them; {when} is in the city's zone).
RESERVATION_RECEIVED = (
    "Заявка отправлена рекрутёру {recruiter} на {when} ({zone}).\nМы напишем, как только рекрутёр её рассмотрит."
)
# The recruiter's decision card ({when} in the recruiter's zone; {city_when} the city's when it differs).
RECRUITER_NEW_REQUEST = "📝 Новая заявка от {requested_at}\n👤 {person}\n📅 {when} ({zone}){city_when}{answers}"
CARD_PERSON = "{name}, возраст {age}, {city}"
CARD_CITY_WHEN = "\n     у кандидата: {when} ({zone})"
CARD_ANSWERS = "\n\nТест 1:\n{lines}"
CARD_ANSWER_LINE = "• {label}: {answer}"
# Short labels of the Тест 1 questions on the card (by question key); any other question shows its own text.
CARD_ANSWER_LABELS = {
    "status": "Занятость",
    "notice_period": "Выход на работу",
    "study_mode": "Форма обучения",
    "study_fits": "Совмещение с 5/2",
    "flexible_plan": "Гибкий план на сессию",
    "income": "Ожидаемый доход",
    "hybrid": "Гибрид 70/30",
    "sales_experience": "Опыт продаж",
    "motivation": "Мотивация",
    "strengths": "Сильные стороны",
    "expectations": "Ожидания",
}
BTN_CARD_APPROVE = "✅ Согласовать"
BTN_CARD_OTHER_TIME = "🔁 Другое время"
BTN_CARD_REJECT = "⛔️ Отказать"
BTN_CARD_BACK = "← Назад"
BTN_NO_REASON = "Без причины"
CARD_REJECT_QUESTION = "\n\nПричина отказа? Кандидат её не увидит."
# Reject reasons by button code; stored on the slot's history, never shown to the candidate.
REJECT_REASONS = {
    "exp": "Нет нужного опыта",
    "pay": "Не сошлись по доходу",
    "fmt": "Не подходит формат работы",
    "full": "Набор закрыт",
}
# The card once decided: "{verdict} {at}" plus " · {where}, {who}" when a recruiter decided.
CARD_RESULT = "\n\n{verdict} {at}{by}{reason}"
CARD_RESULT_BY = " · {where}, {who}"
CARD_RESULT_REASON = "\nПричина: {reason}"
CARD_VERDICTS = {
    "approve": "✅ Согласовано",
    "reschedule": "🔁 Попросили выбрать другое время",
    "reject": "⛔️ Отказано",
    "candidate_cancel": "↩️ Кандидат отменил заявку",
    "expire": "⌛️ Заявка истекла без решения",
    "cancel_slot": "Слот отменён",
}
CARD_VIA = {"telegram": "в Telegram", "admin": "в админке"}
CARD_DONE_ANSWERS = {
    "approve": "Согласовано. Кандидату отправлено приглашение.",
    "reschedule": "Кандидата попросили выбрать другое время.",
    "reject": "Кандидату отказано.",
}
CARD_STALE = "Заявка уже {state} — ничего не изменилось."
CARD_STATES = {"booked": "согласована", "confirmed_by_candidate": "согласована, кандидат подтвердил"}
CARD_STATE_CLOSED = "закрыта"
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
MEETING_LINE = "📍 Ссылка или адрес встречи: {meeting}"
REMINDER_1H_CONFIRMED = f"{REMINDER_1H}\n{MEETING_LINE}"
MEETING_LINK = f"Спасибо, участие подтверждено!\n📅 {{when}} ({{zone}})\n{MEETING_LINE}"
MEETING_LINK_MISSING = "рекрутёр пришлёт отдельно"
RECRUITER_CANDIDATE_CONFIRMED = "Кандидат {candidate}: участие подтверждено, {when} ({zone})."
RECRUITER_CANDIDATE_DECLINED = "Кандидат {candidate}: не сможет прийти {when} ({zone}). Слот снова свободен."
RECRUITER_CANDIDATE_CANCELED = "Кандидат {candidate}: запись на {when} ({zone}) отменена. Слот снова свободен."
PENDING_EXPIRED = (
    "Рекрутёр не успел рассмотреть заявку на {when} ({zone}), и она истекла. Пожалуйста, выберите другое время."
)
RECRUITER_PENDING_EXPIRED = "Заявка кандидата {candidate} на {when} ({zone}) истекла без решения. Слот освобождён."
SLOT_CANCELED = "К сожалению, собеседование {when} ({zone}) отменено рекрутёром. Пожалуйста, выберите другое время."

# Buttons of the journey.
BTN_LEAVE_PREFERRED_TIME = "🕒 Оставить удобное время"

# Consent (issue 7). Changing CONSENT_TEXT means a new settings.CONSENT_VERSION: everybody is asked again.
CONSENT = (
    "Здравствуйте! Это бот записи на собеседование.\n\n"
    "Чтобы продолжить, нам нужно ваше согласие на обработку персональных данных: ФИО, возраста, города "
    "и ответов на вопросы — только для подбора на вакансию. Подробнее: {policy_url}\n\n"
    "Вы согласны?"
)
CONSENT_AGAIN = "Мы обновили условия обработки персональных данных. Прежде чем продолжить, прочитайте их, пожалуйста."
CONSENT_THANKS = "Спасибо! Несколько коротких вопросов — это займёт пару минут."
CONSENT_DECLINED = (
    "Хорошо, мы ничего не сохраняем. Если передумаете — нажмите /start.\n"
    "Чтобы стереть всё, что мы знаем о вас, отправьте /delete_my_data."
)
CONSENT_DECLINED_AGAIN = "Без согласия мы не можем продолжить. Если передумаете — нажмите /start."
CONSENT_CHOSEN_YES = "Вы согласились на обработку персональных данных."
CONSENT_CHOSEN_NO = "Вы отказались от обработки персональных данных."

# Тест 1.
QUESTION = "Вопрос {n} из {total}\n{text}"
ANSWERED = "{question}\n\nВаш ответ: {answer}"
ANSWER_WITH_TEXT = "Ответьте, пожалуйста, текстом."
NO_CITIES = "Сейчас набор не идёт ни в одном городе. Загляните позже — нажмите /start."
KNOCKED_OUT = (
    "Спасибо за ответы! К сожалению, сейчас мы не можем предложить вам эту вакансию. Желаем удачи в поиске работы!"
)
TEST1_DONE = "Спасибо, все ответы сохранены! Осталось выбрать время собеседования."
CITY_NOT_SERVED = (
    "Спасибо! Пока мы не набираем в городе {city}. Мы сохранили ваш ответ: "
    "так мы видим, где нас ждут. Желаем удачи в поиске работы!"
)

# Recruiter and slot choice ({zone} is «по московскому времени», «по времени Новосибирска, UTC+7»).
CHOOSE_RECRUITER = "Выберите рекрутёра. Время собеседований — {zone}."
RECRUITER_BUTTON = "{name} — ближайшее {nearest} • {count}"
CHOOSE_SLOT = "Свободное время, рекрутёр: {recruiter} ({zone})\n\nВыберите удобное:"
SLOT_TAKEN = "Это время только что заняли. Вот что свободно сейчас:"
SLOT_IN_PAST = "Это время уже прошло. Вот что свободно сейчас:"
RECRUITER_UNAVAILABLE = "Этот рекрутёр сейчас не принимает заявки. Выберите другого:"
NO_SLOTS_RECRUITER = "Рекрутёр {recruiter}: свободного времени больше нет. Выберите другого рекрутёра."
NO_SLOTS = (
    "Сейчас в вашем городе нет свободного времени для собеседования. "
    "Оставьте удобное время — рекрутёр увидит его и предложит слот. Или нажмите «Обновить» позже."
)
PREFERRED_TIME_ASK = "Напишите, когда вам удобно прийти на собеседование. Например: «будни после 18:00»."
PREFERRED_TIME_THANKS = "Спасибо! Передали рекрутёрам: «{note}». Мы напишем, когда появится время."
SLOT_CHOSEN = "Вы выбрали {when} ({zone}), рекрутёр {recruiter}.\nОтправляем заявку…"

# The live booking.
BOOKING = "Ваша запись на собеседование:\n📅 {when} ({zone})\n👤 Рекрутёр: {recruiter}\nСтатус: {status}"
BOOKING_STATUS = {
    "pending": "ждёт решения рекрутёра",
    "booked": "согласована, ждём вашего подтверждения",
    "confirmed_by_candidate": "вы подтвердили участие",
}
ALREADY_BOOKED = "У вас уже есть запись — сначала отмените её, если хотите выбрать другое время."
# {told} is RECRUITER_TOLD when the recruiter has a bound chat, else empty: we never promise a notice nobody gets.
RECRUITER_TOLD = " Рекрутёр получит уведомление."
BOOKING_CANCELED = "Запись на {when} ({zone}) отменена.{told}"
BOOKING_CANCELED_CHOOSE = "Запись на {when} ({zone}) отменена. Выберите другое время."
CONFIRMED_ANSWER = "Спасибо! Участие подтверждено."
RESERVED_ANSWER = "Заявка отправлена"
CANCELED_ANSWER = "Запись отменена"
DECLINED = "Жаль! Время освобождено.{told} Выберите другое время:"
CANCEL_ASK = "Отменить запись на {when} ({zone})?{told}"
CANCEL_KEPT = "Хорошо, запись остаётся в силе."
CANCEL_KEPT_ANSWER = "Запись остаётся"

# Other stages.
REJECTED_FINAL = "Спасибо за интерес к вакансии! Сейчас мы не готовы пригласить вас на собеседование."
INTERVIEWED = "Собеседование уже прошло. Рекрутёр свяжется с вами, если будут новости."
ERASED = "Ваши данные удалены. Чтобы начать заново, нажмите /start."
HELP = (
    "Я помогаю записаться на собеседование.\n\n"
    "/start — начать или вернуться к текущему шагу\n"
    "/cancel — отменить запись или ввод\n"
    "/delete_my_data — удалить мои данные\n"
    "/help — эта подсказка"
)
NOTHING_TO_CANCEL = "Отменять нечего. Чтобы продолжить, нажмите /start."
INPUT_CANCELED = "Хорошо, отменили. Чтобы продолжить, нажмите /start."

# Callback answers (the small toast after a button press).
STALE_BUTTON = "Эта кнопка уже неактуальна."
STALE_BOOKING = "Эта запись уже неактуальна — ничего не изменилось."
STALE_QUESTION = "Этот вопрос уже позади."
UNKNOWN_BUTTON = "Не получилось разобрать нажатие. Нажмите /start."
START_FIRST = "Нажмите /start, чтобы начать."
TRY_AGAIN_LATER = "Что-то пошло не так. Попробуйте ещё раз через минуту."

# Recruiters binding their chat.
BIND_USAGE = "Отправьте код из админки: /bind КОД"
BIND_DONE = "Готово! Этот чат привязан к рекрутёру {name}: сюда будут приходить заявки."

# Attendance: the recruiter's question at the end of the interview, and the message it becomes once answered.
RECRUITER_ATTENDANCE = "Кандидат пришёл?\n{candidate}, {when} ({zone})"
BTN_ATTENDED = "Пришёл"
BTN_NO_SHOW = "Не пришёл"
ATTENDANCE_RECORDED = "{candidate}, {when} ({zone})\n{outcome}"
OUTCOME_ATTENDED = "Пришёл ✓"
OUTCOME_NO_SHOW = "Не пришёл"
OUTCOME_OTHER = "Итог: {outcome}"
ATTENDANCE_SAVED = "Записано: {outcome}."
ATTENDANCE_ALREADY = "Итог уже записан: {outcome}. Ничего не изменилось."
RECRUITER_NOT_YOURS = "Эта заявка не ваша."

# The recruiter's commands in their bound chat (candidates never see any of these).
RECRUITER_HELP = (
    "Команды рекрутёра:\n\n"
    "/today — заявки и собеседования на сегодня\n"
    "/week — на 7 дней вперёд\n"
    "/unbind — отвязать этот чат (заявки перестанут сюда приходить)\n"
    "/help — эта подсказка\n\n"
    "Новые заявки приходят сюда сами, а каждое утро в 8:00 — план на день."
)
UNBIND_DONE = (
    "Чат отвязан от рекрутёра {name}: заявки сюда больше не придут. Чтобы привязать снова, получите код в админке."
)
AGENDA_TODAY = "План на сегодня, {date} ({zone})"
AGENDA_WEEK = "План на неделю, {start} – {end} ({zone})"
AGENDA_DIGEST = "Доброе утро! План на сегодня, {date} ({zone})"
AGENDA_DAY = "{date}, {weekday}"
AGENDA_EMPTY_DAY = "Собеседований и заявок нет."
AGENDA_LINE = "{time} — {candidate} — {status}"
AGENDA_MEETING = "    {meeting}"
AGENDA_PENDING_HINT = "Заявок ждут решения: {count}. Решение — кнопками под заявками ниже или в админке."
AGENDA_REQUEST = "Заявка ждёт решения: {when} — {candidate}"
AGENDA_STATUS = {
    "pending": "ждёт решения",
    "booked": "согласовано",
    "confirmed_by_candidate": "подтвердил",
}
WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
AGENDA_INTRO_LINE = "{time} — ознакомительный день — {candidate} — {status}"
AGENDA_INTRO_ADDRESS = "    {address}"
AGENDA_INTRO_STATUS = {"booked": "приглашён", "confirmed_by_candidate": "придёт"}

# SlotEvent reasons when the candidate releases a booking from the bot (recruiters read them in the admin).
REASON_CANDIDATE_CANCELED = "кандидат отменил запись"
REASON_CANDIDATE_OTHER_TIME = "кандидат выбирает другое время"


def slots_count(n: int) -> str:
    """«1 слот», «3 слота», «5 слотов»: plural forms of the one "%(count)d slot" entry (scheduling/locale/ru)."""
    # The bot speaks Russian whatever language a request activated (the admin follows the browser's).
    with translation.override("ru"):
        return translation.ngettext("%(count)d slot", "%(count)d slots", n) % {"count": n}


# Vacancies: the start link and the plain /start's choice (candidates.vacancies).
# The vacancy's own intro / thanks / refusal come from the text-override system; until then the calls
# to CONSENT_THANKS, TEST1_DONE and KNOCKED_OUT in botapp stay the places to switch over.
VACANCY_APPLIED = "Вакансия: «{title}»."
VACANCY_LINK_UNKNOWN = "Эта ссылка больше не действует — ничего страшного, начнём обычным путём."
VACANCY_LINK_BUSY = "Вы уже откликнулись на вакансию «{title}» — продолжим её."
VACANCY_LINK_IN_PROGRESS = "Вы уже проходите отбор — продолжим с того места, где остановились."
VACANCY_CITY_ASK = "В каком городе вы ищете работу?"
VACANCY_CHOOSE = "Вакансии в городе {city}: выберите ту, что вам интересна."
VACANCY_NONE_IN_CITY = "В городе {city} сейчас нет открытых вакансий. Выберите, пожалуйста, другой город."
VACANCY_CLOSED = "Эта вакансия сейчас закрыта. Выберите, пожалуйста, другую."
BTN_OTHER_CITY = "Другой город"

# The recruiter invites to an intro day from the Тест 2 result (botapp/flows/intro_invite.py).
BTN_INTRO_INVITE = "Пригласить на ознакомительный день"
BTN_INTRO_PLACE = "Моё место встречи: {place}"
BTN_INTRO_ME = "Я"
BTN_INTRO_NO_NOTE = "Без примечания"
BTN_INTRO_SEND = "Отправить приглашение"
BTN_INTRO_CANCEL = "Отмена"
INTRO_NOT_YOURS = "Это кнопка не ваша: кандидата собеседовал другой рекрутёр."
INTRO_NOT_ELIGIBLE = "Кандидата {name} сейчас нельзя пригласить: приглашение уже отправлено или Тест 2 не пройден."
INTRO_ASK_WHEN = (
    "Приглашение на ознакомительный день: {name}.\n"
    "Когда? Напишите дату и время в формате дд.мм чч:мм по времени города {city} ({tz}), например 15.03 12:00."
)
INTRO_BAD_WHEN = "Не понял дату и время. Напишите в формате дд.мм чч:мм, например 15.03 12:00 ({tz})."
INTRO_PAST_WHEN = "Это время уже прошло. Напишите будущие дату и время в формате дд.мм чч:мм ({tz})."
INTRO_ASK_ADDRESS = "Адрес ознакомительного дня? Напишите его."
INTRO_ASK_ADDRESS_PLACE = "Адрес ознакомительного дня? Напишите его или возьмите ваше место встречи кнопкой."
INTRO_ASK_CONTACT = "Контактное лицо? Напишите имя (и телефон) или нажмите «Я»."
INTRO_ASK_NOTE = "Примечание для кандидата? Напишите его или нажмите «Без примечания»."
INTRO_SUMMARY = "Проверьте приглашение:\nКандидат: {name}\n📅 {when} ({tz})\n📍 {address}\n👤 {contact}\n📝 {note}"
INTRO_NO_NOTE = "без примечания"
INTRO_SENT = "Приглашение отправлено: {name}, {when} ({tz}). Кандидат ответит кнопками «Приду» / «Не смогу»."
INTRO_REFUSED = "Приглашение не отправлено: {reason}"
INTRO_CANCELED = "Приглашение отменено, кандидату ничего не отправлено."
INTRO_STALE = "Этот шаг приглашения уже не актуален."
INTRO_EMPTY = "Пустой ответ. {question}"
