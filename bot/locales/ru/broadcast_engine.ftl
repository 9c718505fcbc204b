open_position = 📋 Открыть вакансию
progress =
    📣 <b>Рассылка №{ $id }</b>
    Отправлено: { $sent } из { $total }
    Не доставлено: { $failed } · отписались: { $unsubscribed }
    Осталось: { $left } · { $rate } сообщ./с · ещё { $eta }
progress-paused = ⏸ Telegram попросил подождать — короткая пауза.
done =
    ✅ <b>Рассылка №{ $id } завершена</b> за { $duration }
    Доставлено: { $sent } из { $total }
    Не доставлено: { $failed }
    Отписались (заблокировали бота): { $unsubscribed }
stopped =
    ⏸ <b>Рассылка №{ $id } приостановлена</b>
    Отправлено: { $sent } из { $total }. Она продолжится после перезапуска бота.
eta-unknown = —
duration-seconds = { $seconds } с
duration-minutes = { $minutes } мин { $seconds } с
duration-hours = { $hours } ч { $minutes } мин
