departments_title =
    <b>Вакансии</b>: { $positions } { $positions ->
        [one] должность
        [few] должности
        [many] должностей
       *[other] должности
    }, { $headcount } { $headcount ->
        [one] штатная единица
        [few] штатные единицы
        [many] штатных единиц
       *[other] штатной единицы
    }.
    Выберите отдел или службу:
department_button = { $name } · { $positions } долж. · { $headcount } ед.
positions_title =
    <b>{ $department }</b>
    { $positions } { $positions ->
        [one] должность
        [few] должности
        [many] должностей
       *[other] должности
    }, { $headcount } { $headcount ->
        [one] штатная единица
        [few] штатные единицы
        [many] штатных единиц
       *[other] штатной единицы
    }. Выберите должность:
position_button = { $title } · { $headcount } ед.
card-header =
    <b>{ $title }</b>
    🏢 { $department }
    👥 Штатных единиц: { $headcount }
card-section-education = <b>🎓 Образование</b>
card-section-experience = <b>💼 Практический опыт</b>
card-section-competences = <b>📚 Компетенции</b>
card-section-optional = <b>➕ Дополнительные (необязательные) требования</b>
apply = ✍️ Откликнуться
search_prompt = Напишите слово из названия должности, например: «водитель», «спасатель», «бухгалтер», «диспетчер».
search_results = Найдено по запросу «{ $query }»: { $count }.
search_nothing = По запросу «{ $query }» ничего не нашлось. Попробуйте другое слово (например, «водитель», «спасатель», «бухгалтер») или откройте список вакансий.
link_not_found = Такой вакансии нет — возможно, ссылка устарела. Посмотрите актуальный список.
