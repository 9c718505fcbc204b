stale = Эта кнопка устарела. Откройте раздел заново.
stats-title = <b>Воронка найма</b> · { $period }
stats-period-7 = за 7 дней
stats-period-30 = за 30 дней
stats-period-all = за всё время
stats-button-7 = 7 дней
stats-button-30 = 30 дней
stats-button-all = Всё время
stats-button-selected = • { $label } •
stats-button-departments = 🏢 По отделам
stats-button-funnel = 📊 Воронка
stats-column-step = Шаг
stats-column-people = Людей
stats-column-share = % пред.
stats-note = Считаются разные люди: человек, сделавший шаг несколько раз, учитывается один раз. «% пред.» — доля от предыдущего шага.
stats-chart_caption =
    📊 Воронка { $period }. Номера полос:
    { $legend }
stats-departments_title =
    <b>Воронка по отделам</b> · { $period }
    Люди на каждом шаге — от просмотра вакансии до приёма на работу:
stats-no_activity = Без событий: { $names }.
stats-empty = За этот период событий нет.
stats-step-started = Начали диалог
stats-step-viewed_position = Открыли вакансию
stats-step-started_questionnaire = Начали анкету
stats-step-finished_questionnaire = Прошли анкету
stats-step-met_criteria = Подходят по требованиям
stats-step-applied = Откликнулись
stats-step-shortlisted = В шорт-листе
stats-step-invited = Приглашены
stats-step-booked = Записались на этап
stats-step-attended = Пришли на этап
stats-step-stage_passed = Прошли этап
stats-step-hired = Приняты на работу
stats-short-viewed_position = открыли
stats-short-started_questionnaire = анкета
stats-short-finished_questionnaire = прошли
stats-short-met_criteria = подходят
stats-short-applied = отклик
stats-short-shortlisted = шорт-лист
stats-short-invited = приглашены
stats-short-booked = запись
stats-short-attended = пришли
stats-short-stage_passed = этап пройден
stats-short-hired = приняты
export-menu =
    <b>Выгрузка откликов</b> в Excel (XLSX).
    Всего откликов: { $total }.
    Выгрузить всё сразу или выбрать фильтры: отдел → должность → статус → период.
export-button-all = 📥 Выгрузить всё
export-button-filters = 🔎 Выбрать фильтры
export-button-run = 📥 Выгрузить
export-choose_department =
    <b>Выгрузка · шаг 1 из 4</b>
    Отдел или служба:
export-choose_position =
    <b>Выгрузка · шаг 2 из 4</b>
    Должность в подразделении «{ $department }»:
export-choose_status =
    <b>Выгрузка · шаг 3 из 4</b>
    Статус отклика:
export-choose_period =
    <b>Выгрузка · шаг 4 из 4</b>
    Период (по дате отклика):
export-any_department = Все отделы
export-any_position = Все должности
export-any_status = Любой статус
export-summary =
    <b>Выгрузка откликов</b>
    Отдел: { $department }
    Должность: { $position }
    Статус: { $status }
    Период: { $period }
    
    Подходящих откликов: { $count }.
export-caption = 📄 Откликов в файле: { $count }.
export-cancelled = Выгрузка отменена.
export-sheet_title = Отклики
export-yes = да
export-no = нет
export-column-number = № отклика
export-column-created = Дата отклика
export-column-position_number = № должности
export-column-position_title = Должность
export-column-department = Отдел / служба
export-column-status = Статус
export-column-verdict = Соответствие требованиям
export-column-full_name = ФИО
export-column-phone = Телефон
export-column-username = Telegram
export-column-cv = Резюме
export-column-comment = Комментарий соискателя
export-column-decided_by = Решение принял (ID)
export-column-decided_at = Дата решения
export-column-reject_reason = Причина отказа
status-new = Новый
status-shortlisted = В шорт-листе
status-invited = Приглашён
status-rejected = Отказ
status-withdrawn = Отозван соискателем
verdict-meets = Соответствует
verdict-partial = Соответствует при подтверждении
verdict-does_not_meet = Не соответствует
reject_reason-not_qualified = Не соответствует требованиям
reject_reason-position_filled = Вакансия уже закрыта
reject_reason-no_response = Не вышел на связь
reject_reason-other = Другое
vac-board_title =
    <b>Управление вакансиями</b>
    Открыто { $open } из { $total } { $total ->
        [one] должности
        [few] должностей
        [many] должностей
       *[other] должности
    }. Закрытые должности не видны соискателям: их нет в списке, поиске, ссылках и подсказках.
    Выберите отдел:
vac-department_button = { $name } · открыто { $open }/{ $total }
vac-applicant_view = 👁 Как видят соискатели
vac-department_title =
    <b>{ $department }</b>
    ✅ — набор открыт, ⛔ — закрыт. Выберите должность:
vac-position_open = ✅ { $title }
vac-position_open_places = ✅ { $title } · мест: { $places }
vac-position_closed = ⛔ { $title }
vac-position_title =
    <b>{ $title }</b>
    🏢 { $department }
    👥 Штатных единиц: { $headcount }
    
    Набор: { $state }
    Свободных мест сейчас: { $places }
vac-state_open = ✅ открыт — должность видна соискателям
vac-state_closed = ⛔ закрыт — должность скрыта от соискателей
vac-places_unset = не указано
vac-updated = Последнее изменение: { $when }, сотрудник ID { $by }.
vac-button-close = ⛔ Закрыть набор
vac-button-open = ✅ Открыть набор
vac-button-places = 🔢 Указать число мест
vac-button-places_unset = Не указывать
vac-closed_note = ⛔ Набор закрыт: должность скрыта от соискателей.
vac-opened_note = ✅ Набор открыт: должность снова видна соискателям.
vac-places_prompt =
    Сколько мест открыто сейчас на должность «{ $title }»?
    Напишите число от 0 до 999 или нажмите «Не указывать».
vac-places_not_a_number = Нужно целое число от 0 до 999, например: 3.
vac-places_out_of_range = Число мест должно быть от 0 до 999.
vac-places_use_text = Напишите число мест сообщением: от 0 до 999.
vac-places_saved = Сохранено: свободных мест — { $places }.
vac-places_unset_saved = Сохранено: число мест не указано.
vac-places_cancelled = Число мест не изменено.
public-closed = ⛔ Набор на эту должность сейчас закрыт — откликнуться нельзя. Посмотрите другие вакансии.
public-link_closed = Эта вакансия больше не доступна: набор на неё закрыт. Посмотрите актуальный список.
public-places = 🟢 Свободных мест сейчас: { $places }
stats-backlog = ⏳ Сообщений для чата отдела кадров в очереди: { $waiting } (старейшее ждёт { $minutes } мин, с ошибками: { $failing }).
