# Nobody waits in silence (bot/rendering/nudges.py): HR's digest, «still under review», the
# drop-off reminders (the questionnaire's, the application form's).
digest-title = ⏰ <b>Без решения больше 48 часов</b>: { $count } { $count ->
        [one] заявка
        [few] заявки
        [many] заявок
       *[other] заявки
    }
digest-line = • № { $number } · { $title } · ждёт { $days } { $days ->
        [one] день
        [few] дня
        [many] дней
       *[other] дня
    }
digest-card = карточка
digest-more = …и ещё { $count }
review-text = Ваша заявка № { $number } на должность «{ $title }» ещё рассматривается. Отдел кадров ответит вам здесь, в боте.
dropoff-text = Вы остановились на вопросе { $step } из { $total } анкеты на должность «{ $title }». Продолжить?
dropoff-continue = ▶️ Продолжить
dropoff-stop = Не интересно
dropoff-stopped = Хорошо, анкета закрыта — больше не напомним.
form-text = Вы не закончили заявку на должность «{ $title }»: { $remaining ->
        [one] остался { $remaining } шаг.
        [few] осталось { $remaining } шага.
        [many] осталось { $remaining } шагов.
       *[other] осталось { $remaining } шага.
    } Всё, что вы уже ввели, сохранено. Продолжить?
form-review = Вы не закончили заявку на должность «{ $title }»: осталось только проверить её и отправить. Всё, что вы уже ввели, сохранено. Продолжить?
form-stopped = Хорошо, заявка закрыта — больше не напомним.
