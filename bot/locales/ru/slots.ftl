# HR's /slots: opening interview, fitness-test and medical-commission slots.
private_only = Слоты и расписание открываются в личном чате с ботом: напишите мне /slots или /agenda.
cancelled = Создание слотов отменено. Начать заново: /slots.
created = ✅ { $count ->
    [one] Создан { $count } слот
    [few] Создано { $count } слота
    [many] Создано { $count } слотов
   *[other] Создано { $count } слота
}. Расписание дня: /agenda.
online = онлайн: { $url }
serves_everyone = все должности и отделы
serves_department = { $department }, все должности
serves_positions = { $department }: { $positions }

prompt-stage = <b>🗓 Новые слоты</b> · шаг 1
    Для какого этапа?
prompt-day = <b>🗓 Новые слоты</b> · шаг 2
    Выберите день (время Алматы):
prompt-time = <b>🗓 Новые слоты</b> · шаг 3
    Во сколько начало? Напишите время, например <code>10:00</code>.
prompt-duration = <b>🗓 Новые слоты</b> · шаг 4
    Сколько длится один слот?
prompt-place = <b>🗓 Новые слоты</b> · шаг 5
    Где? Напишите адрес (например «ул. Толе би, 112, каб. 5») или ссылку на онлайн-встречу (https://…).
prompt-location = <b>🗓 Новые слоты</b> · шаг 5
    Отправьте точку на карте (📎 → Геопозиция), чтобы кандидаты нашли место, или пропустите.
prompt-capacity = <b>🗓 Новые слоты</b> · шаг 6
    Сколько человек в одном слоте? Выберите или напишите число от 1 до 50.
prompt-serves = <b>🗓 Новые слоты</b> · шаг 7
    Для кого эти слоты?
prompt-positions = <b>🗓 Новые слоты</b> · шаг 7
    { $department }: для каких должностей? Отметьте нужные или оставьте все должности отдела.
prompt-repeat = <b>🗓 Новые слоты</b> · шаг 8
    Один раз или повторять?
prompt-days = <b>🗓 Новые слоты</b> · шаг 8
    Отметьте дни недели:
prompt-until = <b>🗓 Новые слоты</b> · шаг 9
    До какого дня повторять (включительно)?
prompt-end_time = <b>🗓 Новые слоты</b> · шаг 10
    До скольки каждый день? Напишите время окончания, например <code>12:00</code>.
prompt-step = <b>🗓 Новые слоты</b> · шаг 11
    Как часто начинать слоты?

button-minutes = { $n } мин
button-number = { $n }
button-every = каждые { $n } мин
button-skip = Без точки на карте »
button-everyone = Все должности и отделы
button-all_positions = Все должности отдела »
button-once = Один раз
button-weekdays = Каждый будний день (пн–пт)
button-choose_days = Выбрать дни недели
button-done = Готово ({ $count })
button-create = ✅ Создать

summary-once = { $day }, { $start }
summary-repeated = с { $first } по { $last } ({ $days }), { $start }–{ $end }, каждые { $step } мин
summary-text = <b>🗓 Проверьте слоты</b>
    Этап: { $stage }
    Когда: { $when }
    Длительность: { $duration } мин
    Место: { $place }
    В слоте: { $capacity } { $capacity ->
        [one] место
        [few] места
        [many] мест
       *[other] места
    }
    Для кого: { $serves }

    { $count ->
        [one] Будет создан <b>{ $count } слот</b>.
        [few] Будет создано <b>{ $count } слота</b>.
        [many] Будет создано <b>{ $count } слотов</b>.
       *[other] Будет создано <b>{ $count } слота</b>.
    }

weekday-mon = пн
weekday-tue = вт
weekday-wed = ср
weekday-thu = чт
weekday-fri = пт
weekday-sat = сб
weekday-sun = вс
month-jan = Январь
month-feb = Февраль
month-mar = Март
month-apr = Апрель
month-may = Май
month-jun = Июнь
month-jul = Июль
month-aug = Август
month-sep = Сентябрь
month-oct = Октябрь
month-nov = Ноябрь
month-dec = Декабрь

error-in_past = Слот { $when } уже в прошлом.
error-overlap = Слот { $when } пересекается с другим слотом в том же месте (начало в { $other }).
error-bad_capacity = В слоте может быть от 1 до 50 человек — напишите число, например 5.
error-too_short = Слот слишком короткий.
error-too_long = Слот не может быть длиннее 8 часов.
error-no_place = Укажите адрес или ссылку на онлайн-встречу.
error-address_too_long = Адрес слишком длинный: не больше 300 символов.
error-bad_location = Эта точка на карте не подходит — отправьте другую или пропустите.
error-bad_link = Ссылка должна начинаться с https:// и не содержать пробелов.
error-bad_range = Окончание должно быть позже начала.
error-no_days = Отметьте хотя бы один день недели.
error-no_positions = Отметьте хотя бы одну должность или нажмите «Все должности отдела».
error-bad_step = Такой шаг не подходит.
error-too_many = Слишком много слотов за раз (не больше 500 и не дольше 3 месяцев) — сократите период.
error-empty = По этим правилам не получается ни одного слота: проверьте дни и время.
error-bad_time = Не понял время. Напишите часы и минуты, например <code>10:00</code>.
error-time_passed = Это время сегодня уже прошло — напишите более позднее.
error-not_text = Здесь нужен текст.
error-not_location = Отправьте точку на карте (📎 → Геопозиция) или нажмите «Без точки на карте».
error-past_day = Этот день уже прошёл — выберите сегодняшний или будущий.
error-before_first_day = Последний день не может быть раньше первого.
error-end_before_start = Окончание должно быть позже начала — напишите более позднее время.
error-use_buttons = Выберите вариант кнопкой ниже.
error-no_stage = Этого этапа больше нет — выберите другой: /slots.
error-more = …и ещё { $count } { $count ->
    [one] ошибка
    [few] ошибки
    [many] ошибок
   *[other] ошибки
}.
