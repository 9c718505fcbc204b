education-met = Образование: требуется не ниже «{ $required }», у вас «{ $actual }»
education-not_met = Образование: требуется не ниже «{ $required }», у вас «{ $actual }»
education-not_declared = Образование: требуется не ниже «{ $required }», у вас не указано
field-met = Направление образования: подходит — { $matched }
field-not_met = Направление образования: у вас { $actual }; требуется одно из: { $required }
field-none_listed = Направление образования: вы отметили, что вашего направления нет в списке; требуется одно из: { $required }
field-not_declared = Направление образования: требуется одно из: { $required }; у вас не указано
field-related = Направление образования: ваше ({ $actual }) не входит в перечень, но требования допускают смежные направления — отдел кадров оценит, смежное ли оно. Перечень: { $required }
field-related_none_listed = Направление образования: вашего направления нет в перечне, но требования допускают смежные направления — отдел кадров оценит ваш диплом. Перечень: { $required }
field-any = Направление образования: в требованиях не указано — подходит любое (уровень: «{ $required }»)
experience-met = Стаж ({ $domain }): требуется не менее { $min_years }, у вас { $years }
experience-met_below_preferred = Стаж ({ $domain }): требуется не менее { $min_years }, желательно { $preferred_years }; у вас { $years }
experience-preferred_only = Стаж ({ $domain }): нужен опыт работы, желательно { $preferred_years }; у вас { $years }
experience-some = Стаж ({ $domain }): нужен опыт работы (срок не установлен), у вас { $years }
experience-some_none = Стаж ({ $domain }): нужен опыт работы (срок не установлен), у вас его нет
experience-some_not_declared = Стаж ({ $domain }): нужен опыт работы (срок не установлен), у вас не указан
experience-not_met = Стаж ({ $domain }): требуется не менее { $min_years }, у вас { $years }
experience-not_declared = Стаж ({ $domain }): требуется не менее { $min_years }, у вас не указан
experience-optional = Стаж ({ $domain }): желателен, но не обязателен
licence-declared = Водительское удостоверение: нужна одна из категорий { $required }, вы указали { $matched } — проверит отдел кадров
licence-implied = Водительское удостоверение: нужна одна из категорий { $required }; ваша категория { $actual } даёт право и на { $matched } — проверит отдел кадров
licence-not_met = Водительское удостоверение: нужна одна из категорий { $required }, у вас { $actual }
licence-none = Водительское удостоверение: нужна одна из категорий { $required }, у вас удостоверения нет
licence-not_declared = Водительское удостоверение: нужна одна из категорий { $required }, у вас не указано
licence-any_declared = Водительское удостоверение: категория в требованиях не названа; вы указали { $actual } — отдел кадров проверит, подходит ли она для этой техники
licence-any_none = Водительское удостоверение: обязательно (категория зависит от техники), у вас удостоверения нет
licence-any_not_declared = Водительское удостоверение: обязательно (категория зависит от техники), у вас не указано
clearance-declared = Допуск к государственным секретам: вы указали, что он есть — проверит отдел кадров
clearance-not_met = Допуск к государственным секретам: обязателен, у вас его нет
clearance-not_declared = Допуск к государственным секретам: обязателен, у вас не указано
medical-declared = Медицинская годность: вы указали, что годны — проверит отдел кадров
medical-not_met = Медицинская годность: обязательна, вы указали, что не годны
medical-not_declared = Медицинская годность: обязательна, у вас не указано
training-declared = Специальная подготовка ({ $training }): вы указали, что она есть — проверит отдел кадров
training-not_met = Специальная подготовка ({ $training }): обязательна, у вас её нет
training-not_declared = Специальная подготовка ({ $training }): обязательна, у вас не указано
optional-item = Дополнительно (необязательно): { $text }
verdict-meets = Вы соответствуете требованиям должности «{ $title }»
verdict-partial = Вы соответствуете требованиям должности «{ $title }», если отдел кадров подтвердит отмеченные ⚠️ пункты
verdict-does_not_meet = Вы пока не соответствуете требованиям должности «{ $title }»
path-chosen = Требования можно выполнить { $count } { $count ->
    [one] способом
    [few] способами
    [many] способами
   *[other] способа
}; ниже — вариант { $index }, ближайший к вашим ответам
path-others = Другие варианты: { $paths }
years-gen = { $n } { $n ->
    [one] года
    [few] лет
    [many] лет
   *[other] года
}
years-nom = { $n } { $n ->
    [one] год
    [few] года
    [many] лет
   *[other] года
}
years-fraction = { $n } года
value-empty = нет
value-not_asked = не спрашивался
list-whole_area = { $area } (любое направление)
path-fields = направление из перечня
path-fields_related = направление из перечня или смежное
path-experience = стаж ({ $domain }) не менее { $min_years }
path-experience_some = опыт работы ({ $domain })
path-experience_optional = желательно: опыт ({ $domain })
path-training = подготовка: { $training }
why-education = уровень образования
why-field_of_study = направление образования
why-experience = стаж
why-check-field_of_study = смежность направления
why-check-driver_licence = водительское удостоверение
why-check-security_clearance = допуск к гос. секретам
why-check-medical_fitness = медицинская годность
why-check-special_training = подготовка
why-fits = подходят: { $items }
why-checks = отдел кадров проверит: { $items }
field-unlisted = Направление образования: требования говорят «в соответствующей области», не называя её, — отдел кадров оценит ваше направление ({ $actual })
value-not_listed = вашего направления нет в перечне
