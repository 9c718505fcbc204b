open_position = 📋 Бос орынды ашу
progress =
    📣 <b>№{ $id } хабарлама таратылуда</b>
    Жіберілді: { $total } ішінен { $sent }
    Жеткізілмеді: { $failed } · жазылымнан шықты: { $unsubscribed }
    Қалды: { $left } · секундына { $rate } хабарлама · тағы { $eta }
progress-paused = ⏸ Telegram күте тұруды сұрады — қысқа үзіліс.
done =
    ✅ <b>№{ $id } тарату аяқталды</b>, уақыты: { $duration }
    Жеткізілді: { $total } ішінен { $sent }
    Жеткізілмеді: { $failed }
    Жазылымнан шықты (ботты бұғаттаған): { $unsubscribed }
stopped =
    ⏸ <b>№{ $id } тарату тоқтатылды</b>
    Жіберілді: { $total } ішінен { $sent }. Бот қайта іске қосылғанда жалғасады.
eta-unknown = —
duration-seconds = { $seconds } сек
duration-minutes = { $minutes } мин { $seconds } сек
duration-hours = { $hours } сағ { $minutes } мин
