"""What the bot says after the interview: Тест 2 and the intro day (ознакомительный день).

Intro-day messages have texts of their own: an interview reminder must never stand in for one.
"""

# The interview's result, asked of the recruiter after «Пришёл».
RESULT_QUESTION = "{candidate}, {when} ({zone})\nПришёл ✓\n\nИтог собеседования?"
BTN_RESULT_PASSED = "Прошёл собеседование"
BTN_RESULT_FAILED = "Не прошёл"
RESULT_SAVED = "Записано: {outcome}."
INTERVIEW_FAILED = (
    "Спасибо, что пришли на собеседование! К сожалению, сейчас мы не готовы продолжить с вами. "
    "Желаем удачи в поиске работы."
)

# Тест 2.
TEST2_INVITATION = (
    "Спасибо за собеседование! Следующий шаг — короткий Тест 2 (вопросов: {total}, пара минут).\n"
    "Нажмите «Начать Тест 2» или отправьте /test2."
)
BTN_TEST2_START = "Начать Тест 2"
TEST2_QUESTION = "Тест 2 · Вопрос {n}/{total}\n{text}"
TEST2_ANSWERED = "{question}\n\nВаш ответ: {answer}"
TEST2_NOTHING = "Сейчас у вас нет Теста 2. Если рекрутёр пригласит вас, здесь появится кнопка «Начать Тест 2»."
TEST2_DONE = "Тест 2 уже пройден. Мы сообщили результат рекрутёру."
TEST2_STALE = "Этот вопрос уже позади."
TEST2_FINISHED = "Ответы приняты, спасибо!"
TEST2_PASSED = "Тест 2 пройден! Рекрутёр {recruiter} пригласит вас на ознакомительный день — ждите сообщения здесь."
TEST2_FAILED = (
    "Спасибо, что прошли Тест 2! К сожалению, сейчас мы не готовы продолжить с вами. Желаем удачи в поиске работы."
)
RECRUITER_TEST2_RESULT = (
    "Тест 2: {candidate} — {verdict}, {score} из {total}.\nПригласить на ознакомительный день можно в админке."
)
WAITING_FOR_INVITATION = "Тест 2 пройден. Рекрутёр пригласит вас на ознакомительный день — ждите сообщения здесь."
HIRED = "Спасибо, что пришли на ознакомительный день! Рекрутёр свяжется с вами о следующих шагах."
TEST2_VERDICT_PASSED = "прошёл"
TEST2_VERDICT_FAILED = "не прошёл"

# The intro day ({when} in the city's zone for the candidate, the recruiter's own for the recruiter).
BTN_INTRO_CONFIRM = "✅ Приду"
BTN_INTRO_DECLINE = "❌ Не смогу"
INTRO_DAY_INVITATION = (
    "Приглашаем вас на ознакомительный день!\n📅 {when} ({zone})\n📍 {address}\n👤 Контакт: {contact}{note}\n\n"
    "Сможете прийти?"
)
INTRO_NOTE = "\n📝 {note}"
INTRO_DAY_REMINDER = "Через 3 часа ознакомительный день: {when} ({zone}).\n📍 {address}\n👤 Контакт: {contact}"
INTRO_DAY_CANCELED = "К сожалению, ознакомительный день {when} ({zone}) отменён. Рекрутёр {recruiter} свяжется с вами."
INTRO_CONFIRMED = "Отлично, ждём вас {when} ({zone})!\n📍 {address}"
INTRO_ALREADY_CONFIRMED = "Вы уже подтвердили, что придёте. Ждём вас!"
INTRO_DECLINED = "Хорошо, мы передали рекрутёру. Он предложит другой день."
RECRUITER_INTRO_CONFIRMED = "Ознакомительный день: {candidate} придёт {when} ({zone})."
RECRUITER_INTRO_DECLINED = (
    "Ознакомительный день: {candidate} не сможет {when} ({zone}). Пригласите на другой день в админке."
)
RECRUITER_INTRO_ATTENDANCE = "Кандидат пришёл на ознакомительный день?\n{candidate}, {when} ({zone})"
