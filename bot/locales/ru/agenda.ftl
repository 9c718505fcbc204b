# HR's /agenda: a day's slots and who comes.
title = <b>📋 Расписание на { $day }</b> · { $count } { $count ->
    [one] слот
    [few] слота
    [many] слотов
   *[other] слота
}
empty = В этот день слотов нет. Открыть: /slots.
slot = 🕒 <b>{ $time }–{ $end }</b> · { $stage } · { $place } · { $booked }/{ $capacity }
unconfirmed = ❓ Не подтвердили: { $count }. ⚠️ — до начала меньше 2 часов.
slot_title = <b>Слот { $day }</b>
nobody = Пока никто не записался.
pick_day = Выберите день:
closed = Расписание закрыто. Открыть снова: /agenda.
candidate = <b>{ $name }</b>
    Должность: { $position }
    Этап: { $stage }, { $day } { $time }
    Запись: { $status }
    Результат: { $result }
status-confirmed = ✅ подтверждена
status-unconfirmed = ❓ не подтверждена
status-done = завершена
result-passed = прошёл(ла) ✅
result-failed = не прошёл(ла) ❌
result-no_show = не пришёл(ла) 🚫
recorded = Отмечено: { $result }. Кандидат получит уведомление.
confirm_cancel = Отменить слот { $time } ({ $stage })? { $count ->
    [one] { $count } записанный кандидат получит
    [few] { $count } записанных кандидата получат
    [many] { $count } записанных кандидатов получат
   *[other] { $count } записанного кандидата получат
} уведомление и выбор другого времени.
slot_cancelled = Слот отменён. { $count ->
    [one] Уведомлён { $count } кандидат
    [few] Уведомлены { $count } кандидата
    [many] Уведомлены { $count } кандидатов
   *[other] Уведомлены { $count } кандидата
}.
outcome-gone = Этого слота или записи больше нет.
outcome-closed = Заявка уже закрыта — результат не нужен.
outcome-stale = Кандидат уже на другом этапе.
outcome-already = Результат этого этапа уже отмечен.
outcome-not_started = Слот ещё не начался — результат можно отметить после начала.
outcome-no_booking = У кандидата нет записи на этот этап.
outcome-cancelled_before = Этот слот уже отменён.
outcome-started = Слот уже начался — его нельзя отменить.
button-today = Сегодня
button-cancel_slot = ✖ Отменить слот
button-confirm_cancel = Да, отменить слот
button-keep_slot = Нет, оставить
button-passed = ✅ Прошёл
button-failed = ❌ Не прошёл
button-no_show = 🚫 Не пришёл
