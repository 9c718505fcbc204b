# The hiring pipeline after «Invite» (bot/scheduling, bot/services/bookings.py): the default
# stages' names and checklists (one item a line), the .ics file's texts.
stage-interview = Собеседование
stage-fitness_test = Сдача нормативов по физической подготовке
stage-medical_commission = Медицинская комиссия
stage-custom = Этап отбора
checklist-interview =
    Удостоверение личности
    Диплом об образовании с приложением
    Военный билет или приписное свидетельство
    Водительское удостоверение (для водителей)
checklist-fitness_test =
    Удостоверение личности
    Спортивная форма и спортивная обувь
    Справка о допуске к физическим нагрузкам
checklist-medical_commission =
    Удостоверение личности
    Военный билет или приписное свидетельство
    Медицинская справка (форма 075/у)
    Результат флюорографии
    Справки из наркологического и психоневрологического диспансеров
ics-summary = { $stage } — Служба спасения г. Алматы
ics-checklist_title = Что взять с собой:
ics-online = Онлайн

# The candidate's side of the pipeline (bot/rendering/booking.py, bot/handlers/booking.py).
weekday-0 = пн
weekday-1 = вт
weekday-2 = ср
weekday-3 = чт
weekday-4 = пт
weekday-5 = сб
weekday-6 = вс
slot-button = { $weekday } { $date }, { $time }
offer-invited = 📅 <b>{ $stage }</b>: выберите удобное время (время Алматы).
offer-passed = 📅 Следующий этап — <b>{ $stage }</b>: выберите удобное время (время Алматы).
offer-slots_opened = 📅 Открыта запись на этап <b>{ $stage }</b>: выберите удобное время (время Алматы).
offer-slot_cancelled = 📅 Выберите другое время для этапа <b>{ $stage }</b> (время Алматы).
offer-again = Выберите другое время, если хотите записаться снова:
no_slots = ⏳ Сейчас нет свободного времени для этапа «{ $stage }». Как только отдел кадров откроет запись, вы получите выбор здесь.
confirmed-title = ✅ Вы записаны: <b>{ $stage }</b>
rescheduled-title = 🔁 Запись перенесена: <b>{ $stage }</b>
when = 🕒 { $date } в { $time } (время Алматы)
place = 📍 { $address }
online = 💻 Онлайн: { $url }
checklist = Что взять с собой:
deadline = Перенести запись можно до { $deadline }; отменить — до начала.
ics-caption = 📎 Файл для календаря: { $stage }, { $date } в { $time }.
ics-file_name = zapis-{ $number }.ics
reminder-24h = 🔔 Напоминание: завтра — <b>{ $stage }</b>, { $date } в { $time } (время Алматы).
reminder-2h = 🔔 Через 2 часа — <b>{ $stage }</b>, в { $time } (время Алматы).
reminder-ask_confirm = Подтвердите, пожалуйста, что придёте.
button-confirm = ✅ Подтверждаю
button-reschedule = 🔁 Перенести
button-cancel = ✖ Отменить запись
cancelled-slot_cancelled = ❗ Отдел кадров отменил время вашей записи: { $stage }, { $date } в { $time }.
cancelled-rejected = Ваша запись отменена: { $stage }, { $date } в { $time }.
cancelled-by_you = ✖ Запись отменена: { $stage }, { $date } в { $time }.
result-passed_next = ✅ Этап «{ $stage }» пройден. Следующий этап — «{ $next }».
result-passed_last = ✅ Этап «{ $stage }» пройден — это был последний этап. Отдел кадров сообщит вам решение.
result-failed = Спасибо, что прошли этап «{ $stage }». К сожалению, его результат не позволяет продолжить отбор: заявка №{ $number } закрыта. Посмотрите другие вакансии — команда /vacancies.
result-no_show = Вы не пришли на этап «{ $stage }», поэтому заявка №{ $number } закрыта. Если вы по-прежнему заинтересованы, подайте заявку снова.
hired = 🎉 Поздравляем! Вы приняты на должность «{ $title }» (заявка №{ $number }). Ваш первый рабочий день — { $date }.
chosen = ✅ Выбрано: { $stage }, { $date } в { $time }. Подтверждение придёт следующим сообщением.
answer-booked = ✅ Записано: { $date } в { $time }.
answer-rescheduled = 🔁 Перенесено: { $date } в { $time }.
answer-same = Вы уже записаны на это время.
answer-already_booked = У вас уже есть запись на этот этап. Чтобы сменить время, нажмите «🔁 Перенести» под подтверждением.
answer-full = Это время только что заняли. Выберите другое — список обновлён.
answer-cancelled_slot = Это время отменено. Выберите другое — список обновлён.
answer-too_soon = На это время записаться уже нельзя. Выберите другое — список обновлён.
answer-too_late_reschedule = Перенести запись уже нельзя: срок переноса прошёл. Отменить её можно до начала.
answer-too_late = Запись уже началась — изменить её нельзя.
answer-stale = Эта кнопка больше не действует: запись или заявка изменились.
answer-confirmed = ✅ Спасибо! Ждём вас.
answer-confirmed_same = Вы уже подтвердили запись.
answer-cancelled = Запись отменена.
answer-cancelled_same = Запись уже отменена.
reschedule-title = 🔁 Выберите новое время для этапа «{ $stage }». Сейчас: { $date } в { $time }.
reschedule-none = Другого свободного времени для этапа «{ $stage }» сейчас нет. Ваша запись остаётся: { $date } в { $time }.
