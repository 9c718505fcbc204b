education-met = Білімі: кемінде «{ $required }» талап етіледі, сізде — «{ $actual }»
education-not_met = Білімі: кемінде «{ $required }» талап етіледі, сізде — «{ $actual }»
education-not_declared = Білімі: кемінде «{ $required }» талап етіледі, сіз көрсетпедіңіз
field-met = Білім бағыты: сәйкес келеді — { $matched }
field-not_met = Білім бағыты: сізде — { $actual }; мыналардың бірі талап етіледі: { $required }
field-none_listed = Білім бағыты: бағытыңыз тізімде жоқ деп белгіледіңіз; мыналардың бірі талап етіледі: { $required }
field-not_declared = Білім бағыты: мыналардың бірі талап етіледі: { $required }; сіз көрсетпедіңіз
field-related = Білім бағыты: сіздің бағытыңыз ({ $actual }) тізімге кірмейді, бірақ талаптар сабақтас бағыттарға рұқсат береді — оның сабақтас екенін кадр қызметі бағалайды. Тізім: { $required }
field-related_none_listed = Білім бағыты: бағытыңыз тізімде жоқ, бірақ талаптар сабақтас бағыттарға рұқсат береді — дипломыңызды кадр қызметі бағалайды. Тізім: { $required }
field-any = Білім бағыты: талаптарда көрсетілмеген — кез келгені сәйкес келеді (деңгейі: «{ $required }»)
experience-met = Жұмыс өтілі ({ $domain }): кемінде { $min_years } талап етіледі, сізде — { $years }
experience-met_below_preferred = Жұмыс өтілі ({ $domain }): кемінде { $min_years } талап етіледі, { $preferred_years } болғаны жөн; сізде — { $years }
experience-preferred_only = Жұмыс өтілі ({ $domain }): жұмыс тәжірибесі қажет, { $preferred_years } болғаны жөн; сізде — { $years }
experience-some = Жұмыс өтілі ({ $domain }): жұмыс тәжірибесі қажет (мерзімі белгіленбеген), сізде — { $years }
experience-some_none = Жұмыс өтілі ({ $domain }): жұмыс тәжірибесі қажет (мерзімі белгіленбеген), сізде жоқ
experience-some_not_declared = Жұмыс өтілі ({ $domain }): жұмыс тәжірибесі қажет (мерзімі белгіленбеген), сіз көрсетпедіңіз
experience-not_met = Жұмыс өтілі ({ $domain }): кемінде { $min_years } талап етіледі, сізде — { $years }
experience-not_declared = Жұмыс өтілі ({ $domain }): кемінде { $min_years } талап етіледі, сіз көрсетпедіңіз
experience-optional = Жұмыс өтілі ({ $domain }): болғаны жөн, міндетті емес
licence-declared = Жүргізуші куәлігі: { $required } санаттарының бірі қажет, сіз { $matched } санатын көрсеттіңіз — кадр қызметі тексереді
licence-implied = Жүргізуші куәлігі: { $required } санаттарының бірі қажет; сіздің { $actual } санатыңыз { $matched } санатына да құқық береді — кадр қызметі тексереді
licence-not_met = Жүргізуші куәлігі: { $required } санаттарының бірі қажет, сізде — { $actual }
licence-none = Жүргізуші куәлігі: { $required } санаттарының бірі қажет, сізде куәлік жоқ
licence-not_declared = Жүргізуші куәлігі: { $required } санаттарының бірі қажет, сіз көрсетпедіңіз
licence-any_declared = Жүргізуші куәлігі: талаптарда санаты аталмаған; сіз { $actual } санатын көрсеттіңіз — оның осы техникаға сәйкестігін кадр қызметі тексереді
licence-any_none = Жүргізуші куәлігі: міндетті (санаты техникаға байланысты), сізде куәлік жоқ
licence-any_not_declared = Жүргізуші куәлігі: міндетті (санаты техникаға байланысты), сіз көрсетпедіңіз
clearance-declared = Мемлекеттік құпияларға рұқсат: бар деп көрсеттіңіз — кадр қызметі тексереді
clearance-not_met = Мемлекеттік құпияларға рұқсат: міндетті, сізде жоқ
clearance-not_declared = Мемлекеттік құпияларға рұқсат: міндетті, сіз көрсетпедіңіз
medical-declared = Медициналық жарамдылық: жарамдымын деп көрсеттіңіз — кадр қызметі тексереді
medical-not_met = Медициналық жарамдылық: міндетті, сіз жарамсызбын деп көрсеттіңіз
medical-not_declared = Медициналық жарамдылық: міндетті, сіз көрсетпедіңіз
training-declared = Арнайы даярлық ({ $training }): бар деп көрсеттіңіз — кадр қызметі тексереді
training-not_met = Арнайы даярлық ({ $training }): міндетті, сізде жоқ
training-not_declared = Арнайы даярлық ({ $training }): міндетті, сіз көрсетпедіңіз
optional-item = Қосымша (міндетті емес): { $text }
verdict-meets = Сіз «{ $title }» лауазымының талаптарына сәйкес келесіз
verdict-partial = Сіз «{ $title }» лауазымының талаптарына сәйкес келесіз, ⚠️ белгіленген тармақтарды кадр қызметі растауы тиіс
verdict-does_not_meet = Сіз әзірге «{ $title }» лауазымының талаптарына сәйкес келмейсіз
path-chosen = Талаптарды { $count } { $count ->
    [one] тәсілмен
   *[other] тәсілмен
} орындауға болады; төменде — жауаптарыңызға ең жақын { $index }-нұсқа
path-others = Басқа нұсқалар: { $paths }
years-gen = { $n } { $n ->
    [one] жыл
   *[other] жыл
}
years-nom = { $n } { $n ->
    [one] жыл
   *[other] жыл
}
years-fraction = { $n } жыл
value-empty = жоқ
value-not_asked = сұралмады
list-whole_area = { $area } (кез келген бағыт)
path-fields = тізімдегі бағыт
path-fields_related = тізімдегі немесе сабақтас бағыт
path-experience = жұмыс өтілі ({ $domain }) кемінде { $min_years }
path-experience_some = жұмыс тәжірибесі ({ $domain })
path-experience_optional = болғаны жөн: тәжірибе ({ $domain })
path-training = даярлық: { $training }
why-education = білім деңгейі
why-field_of_study = білім бағыты
why-experience = жұмыс өтілі
why-check-field_of_study = бағыттың сабақтастығы
why-check-driver_licence = жүргізуші куәлігі
why-check-security_clearance = мемлекеттік құпияларға рұқсат
why-check-medical_fitness = медициналық жарамдылық
why-check-special_training = даярлық
why-fits = сәйкес келеді: { $items }
why-checks = кадр қызметі тексереді: { $items }
field-unlisted = Білім бағыты: талаптарда «тиісті салада» делінген, сала аталмаған — бағытыңызды ({ $actual }) кадр қызметі бағалайды
value-not_listed = бағытыңыз тізімде жоқ
